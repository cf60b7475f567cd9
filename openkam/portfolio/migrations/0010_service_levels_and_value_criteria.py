"""The policy's service levels per tier (分级差异化服务) and the qualitative value criteria of
the sources (word-of-mouth value, knowledge value, industry influence), off until the company
switches them on in the settings."""

from decimal import Decimal

from django.db import migrations

SERVICE_LEVELS = {
    "strategic": (True, True, True, 2),
    "key": (True, True, True, 4),
    "major": (False, True, False, 8),
    "general": (False, False, False, 24),
}
VALUE_CRITERIA = [
    ("word_of_mouth_value", "口碑价值", "Word-of-mouth value"),
    ("knowledge_value", "知识价值", "Knowledge value"),
    ("industry_influence", "行业影响力", "Industry influence"),
]


def add(apps, schema_editor):
    level = apps.get_model("portfolio", "TierServiceLevel")
    for tier, (sponsor, priority, training, hours) in SERVICE_LEVELS.items():
        level.objects.get_or_create(
            tier=tier,
            defaults={
                "executive_sponsor": sponsor,
                "priority_delivery": priority,
                "dedicated_training": training,
                "support_response_hours": hours,
            },
        )
    criterion = apps.get_model("portfolio", "ScoringCriterion")
    start = criterion.objects.filter(scorecard="attractiveness").count()
    for offset, (key, name, name_en) in enumerate(VALUE_CRITERIA):
        criterion.objects.get_or_create(
            scorecard="attractiveness",
            key=key,
            defaults={
                "name": name,
                "name_en": name_en,
                "weight": Decimal("1"),
                "position": start + offset,
                "is_active": False,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("portfolio", "TierServiceLevel").objects.all().delete()
    keys = [key for key, _name, _en in VALUE_CRITERIA]
    apps.get_model("portfolio", "ScoringCriterion").objects.filter(key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0009_matrix_cuts_and_service_levels")]
    operations = [migrations.RunPython(add, remove)]
