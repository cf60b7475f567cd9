"""The default return-visit cadence per tier: strategic monthly, key every six weeks, major
quarterly, general twice a year."""

from django.db import migrations

DEFAULTS = {"strategic": 30, "key": 42, "major": 90, "general": 180}


def add_defaults(apps, schema_editor):  # type: ignore[no-untyped-def]
    cadence = apps.get_model("interactions", "ContactCadence")
    for tier, days in DEFAULTS.items():
        cadence.objects.get_or_create(tier=tier, defaults={"every_days": days})


class Migration(migrations.Migration):
    dependencies = [("interactions", "0001_interactions_and_cadences")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
