"""The default survey template: the sources' three dimensions (product, service, sales staff),
the recommendation question and a free text, in both languages."""

from django.db import migrations

from openkam.surveys.defaults import DEFAULT


def add_default(apps, schema_editor):
    template = apps.get_model("surveys", "SurveyTemplate")
    if not template.objects.filter(is_default=True).exists():
        template.objects.create(**DEFAULT)


def remove_default(apps, schema_editor):
    apps.get_model("surveys", "SurveyTemplate").objects.filter(
        is_default=True, name=DEFAULT["name"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_surveys_campaigns_answers")]
    operations = [migrations.RunPython(add_default, remove_default)]
