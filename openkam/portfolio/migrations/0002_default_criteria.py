"""The default scorecard criteria (DOMAIN §2.6 and §2.7); weights are editable afterwards."""

from decimal import Decimal

from django.db import migrations

ATTRACTIVENESS = [
    ("revenue_potential", "收入潜力", "Revenue potential", "3"),
    ("profit_potential", "利润潜力", "Profit potential", "3"),
    ("centralised_purchasing", "集中采购", "Centralised purchasing", "1"),
    ("market_leader", "市场领导者", "Market leader", "2"),
    ("hurts_competitors", "赢得该客户能削弱竞争对手", "Winning it hurts competitors", "1"),
    ("executive_relationship", "已有高层关系", "Existing executive relationship", "1.5"),
    ("complementary_technology", "技术互补", "Complementary technology", "1"),
    ("strict_certification", "严格的供应商认证", "Strict supplier certification", "1"),
    ("strategic_buying", "战略型采购导向", "Strategic (not transactional) buying", "1.5"),
    ("cultural_fit", "文化契合", "Cultural fit", "1"),
    ("systems_compatibility", "系统兼容", "Systems compatibility", "0.5"),
    ("solvency", "偿付能力", "Solvency", "2"),
    ("pays_promptly", "付款及时", "Pays promptly", "2"),
    ("product_line_fit", "产品线匹配", "Product-line fit", "1.5"),
    ("flexibility", "灵活性", "Flexibility", "0.5"),
    ("common_raw_materials", "共同的原材料基础", "Common raw-material base", "0.5"),
    ("acceptable_procurement_cost", "可接受的采购成本", "Acceptable procurement cost", "1"),
    ("innovation", "创新与最佳实践", "Innovation / best practice", "1"),
    ("willing_to_outsource", "愿意外包", "Shows willingness to outsource", "1"),
    ("has_expertise_we_need", "拥有我们需要的专长(库存、物流)", "Has expertise we need", "0.5"),
    ("deals_honestly", "诚信经营", "Deals honestly", "1.5"),
    ("service_partner", "可作为服务伙伴", "Can serve as service partner", "0.5"),
]
STRENGTH = [
    ("share_of_wallet", "我方钱包份额", "Our share of wallet", "3"),
    ("relationship_stage", "关系发展阶段", "Relationship stage", "2"),
    ("satisfaction", "客户满意度", "Customer satisfaction", "2"),
    ("years_as_supplier", "合作年限", "Years as supplier", "1"),
    ("product_fit", "产品与需求匹配度", "Fit of our products to their needs", "1.5"),
    ("delivery_performance", "准时准确交付", "On-time, accurate delivery", "1.5"),
]


def add_criteria(apps, schema_editor):
    criterion = apps.get_model("portfolio", "ScoringCriterion")
    for scorecard, rows in (("attractiveness", ATTRACTIVENESS), ("strength", STRENGTH)):
        for position, (key, name, name_en, weight) in enumerate(rows):
            criterion.objects.update_or_create(
                scorecard=scorecard,
                key=key,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "weight": Decimal(weight),
                    "position": position,
                },
            )


def remove_criteria(apps, schema_editor):
    apps.get_model("portfolio", "ScoringCriterion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_initial")]
    operations = [migrations.RunPython(add_criteria, remove_criteria)]
