# The month of a cost to serve that belongs to one (a service case's resolution month).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_invoice_payment_original_currency"),
    ]

    operations = [
        migrations.AddField(
            model_name="costtoserve",
            name="month",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[(m, str(m)) for m in range(1, 13)],
                null=True,
                verbose_name="month",
            ),
        ),
    ]
