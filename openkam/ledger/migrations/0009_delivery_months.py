# The delivery counts per account and promised month (the on-time-in-full KPI reads them instead
# of every order line), filled from the existing order lines.

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        month = "date_trunc('month', promised_date)::date"
    else:
        month = "substr(promised_date, 1, 7) || '-01'"
    on_time = (
        "delivered_date IS NOT NULL AND delivered_date <= promised_date "
        "AND delivered_quantity >= quantity"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_accountdeliverymonth (account_id, month, lines_due, lines_on_time) "
            f"SELECT account_id, {month}, COUNT(*), SUM(CASE WHEN {on_time} THEN 1 ELSE 0 END) "
            f"FROM ledger_orderline WHERE promised_date IS NOT NULL GROUP BY account_id, {month}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_account_team"),
        ("ledger", "0008_costtoserve_month"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountDeliveryMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="promised month")),
                (
                    "lines_due",
                    models.PositiveIntegerField(default=0, verbose_name="lines promised"),
                ),
                (
                    "lines_on_time",
                    models.PositiveIntegerField(
                        default=0, verbose_name="lines delivered in full on time"
                    ),
                ),
                (
                    "account",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                        verbose_name="account",
                    ),
                ),
            ],
            options={
                "verbose_name": "account delivery month",
                "verbose_name_plural": "account delivery months",
                "indexes": [models.Index(fields=["month"], name="delivery_month_month")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("account", "month"), name="account_delivery_month_once"
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
