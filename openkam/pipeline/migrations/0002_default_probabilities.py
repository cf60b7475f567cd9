from django.db import migrations

DEFAULTS = {
    "needs_analysis": 10,
    "solution_design": 25,
    "quotation": 50,
    "negotiation": 75,
    "won": 100,
    "lost": 0,
}


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    StageProbability = apps.get_model("pipeline", "StageProbability")
    for stage, probability in DEFAULTS.items():
        StageProbability.objects.get_or_create(stage=stage, defaults={"probability": probability})


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_opportunities_prospects")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
