"""The default category tree (DESIGN §3.6), loaded by a data migration; editable afterwards.

Each leaf names the unit types that usually handle it (fengqiao.org.choices.UnitType), and
every node has an English name (ENGLISH_NAMES) that the English interface shows.
"""

from __future__ import annotations

from fengqiao.cases.models import Category

# (code, name, kind, unit types, children)
DEFAULT_TREE: list[tuple[str, str, str, list[str], list]] = [
    ("dispute", "矛盾纠纷", "dispute", ["justice"], [
        ("dispute.marriage", "婚姻家庭纠纷", ["justice", "women_federation", "court"]),
        ("dispute.neighbor", "邻里纠纷", ["justice", "mediation_committee"]),
        ("dispute.housing", "房屋宅基地纠纷", ["natural_resources", "justice", "housing"]),
        ("dispute.contract", "合同纠纷", ["justice", "court", "market"]),
        ("dispute.business", "生产经营纠纷", ["market", "justice"]),
        ("dispute.damages", "损害赔偿纠纷", ["justice", "court"]),
        ("dispute.land", "山林土地纠纷", ["natural_resources", "agriculture", "justice"]),
        ("dispute.expropriation", "征地拆迁纠纷", ["natural_resources", "housing", "petition"]),
        ("dispute.pollution", "环境污染纠纷", ["environment", "justice"]),
        ("dispute.labor", "劳动争议（含欠薪）", ["human_resources", "justice"]),
        ("dispute.medical", "医疗纠纷", ["health", "justice"]),
        ("dispute.traffic", "道路交通事故纠纷", ["public_security", "justice", "court"]),
        ("dispute.property", "物业纠纷", ["housing", "justice"]),
        ("dispute.consumer", "消费纠纷", ["market"]),
        ("dispute.other", "其他纠纷", ["justice"]),
    ]),
    ("security", "治安问题", "security", ["public_security"], [
        ("security.order", "治安秩序", ["public_security"]),
        ("security.fraud", "诈骗与非法集资", ["public_security", "market"]),
        ("security.vice", "黄赌毒", ["public_security"]),
        ("security.other", "其他治安问题", ["public_security"]),
    ]),
    ("hazard", "安全隐患", "hazard", ["emergency"], [
        ("hazard.fire", "消防安全隐患", ["emergency", "public_security"]),
        ("hazard.building", "房屋建筑安全隐患", ["housing"]),
        ("hazard.road", "道路交通安全隐患", ["transport", "public_security"]),
        ("hazard.food", "食品药品安全隐患", ["market"]),
        ("hazard.production", "生产安全隐患", ["emergency"]),
    ]),
    ("legal", "法律咨询", "legal", ["justice"], [
        ("legal.consult", "法律咨询", ["justice"]),
        ("legal.aid", "法律援助申请", ["justice"]),
    ]),
    ("petition", "信访诉求", "petition", ["petition"], [
        ("petition.general", "信访事项", ["petition"]),
    ]),
    ("livelihood", "民生诉求", "livelihood", [], [
        ("livelihood.urban", "城乡建设", ["housing", "urban_management"]),
        ("livelihood.environment", "环境保护", ["environment"]),
        ("livelihood.transport", "交通运输", ["transport"]),
        ("livelihood.education", "教育文体", ["education"]),
        ("livelihood.labor", "劳动和社会保障", ["human_resources"]),
        ("livelihood.health", "卫生计生", ["health"]),
        ("livelihood.commerce", "商贸旅游", ["market"]),
        ("livelihood.agriculture", "农村农业", ["agriculture"]),
        ("livelihood.civil", "民政", ["civil_affairs"]),
        ("livelihood.land", "国土资源", ["natural_resources"]),
        ("livelihood.economy", "经济管理", ["market"]),
        ("livelihood.technology", "科技与信息产业", ["other"]),
        ("livelihood.legal", "政法", ["justice", "public_security"]),
        ("livelihood.government", "党务政务", ["other"]),
        ("livelihood.discipline", "纪检监察", ["other"]),
    ]),
    ("other", "其他诉求", "other", [], [
        ("other.general", "其他", []),
    ]),
]  # fmt: skip


# code → English name of every default category.
ENGLISH_NAMES: dict[str, str] = {
    "dispute": "Disputes",
    "dispute.marriage": "Marriage and family disputes",
    "dispute.neighbor": "Neighbour disputes",
    "dispute.housing": "Housing and homestead disputes",
    "dispute.contract": "Contract disputes",
    "dispute.business": "Business disputes",
    "dispute.damages": "Compensation disputes",
    "dispute.land": "Forest and land disputes",
    "dispute.expropriation": "Land requisition and demolition disputes",
    "dispute.pollution": "Pollution disputes",
    "dispute.labor": "Labour disputes (incl. unpaid wages)",
    "dispute.medical": "Medical disputes",
    "dispute.traffic": "Road traffic accident disputes",
    "dispute.property": "Property management disputes",
    "dispute.consumer": "Consumer disputes",
    "dispute.other": "Other disputes",
    "security": "Public security",
    "security.order": "Public order",
    "security.fraud": "Fraud and illegal fund-raising",
    "security.vice": "Prostitution, gambling and drugs",
    "security.other": "Other public security issues",
    "hazard": "Safety hazards",
    "hazard.fire": "Fire hazards",
    "hazard.building": "Building safety hazards",
    "hazard.road": "Road safety hazards",
    "hazard.food": "Food and drug safety hazards",
    "hazard.production": "Workplace safety hazards",
    "legal": "Legal advice",
    "legal.consult": "Legal advice",
    "legal.aid": "Legal aid applications",
    "petition": "Petitions",
    "petition.general": "Petition matters",
    "livelihood": "Livelihood requests",
    "livelihood.urban": "Urban and rural construction",
    "livelihood.environment": "Environmental protection",
    "livelihood.transport": "Transport",
    "livelihood.education": "Education, culture and sports",
    "livelihood.labor": "Labour and social security",
    "livelihood.health": "Health and family planning",
    "livelihood.commerce": "Commerce and tourism",
    "livelihood.agriculture": "Agriculture and rural affairs",
    "livelihood.civil": "Civil affairs",
    "livelihood.land": "Land and resources",
    "livelihood.economy": "Economic management",
    "livelihood.technology": "Science, technology and IT",
    "livelihood.legal": "Politics and law",
    "livelihood.government": "Party and government affairs",
    "livelihood.discipline": "Discipline inspection and supervision",
    "other": "Other requests",
    "other.general": "Other",
}


def default_names() -> dict[str, str]:
    """code → Chinese name of every default category."""
    names = {}
    for code, name, _kind, _units, children in DEFAULT_TREE:
        names[code] = name
        names.update((child_code, child_name) for child_code, child_name, _u in children)
    return names


def fill_english_names(category_model=None) -> int:
    """Give default categories that have no English name theirs; returns how many changed.

    Only a category that still has its default Chinese name is filled: one an admin renamed
    is left for the admin to name in English.
    """
    if category_model is None:
        category_model = Category
    changed = 0
    names = default_names()
    for category in category_model.objects.filter(code__in=names, name_en=""):
        if category.name == names[category.code] and category.code in ENGLISH_NAMES:
            category.name_en = ENGLISH_NAMES[category.code]
            category.save(update_fields=["name_en"])
            changed += 1
    return changed


def ensure_default_categories(category_model=None) -> int:
    """Create the default categories that are missing; returns how many were created.

    Existing categories are left as admins edited them.
    """
    if category_model is None:
        category_model = Category
    created = 0
    for order, (code, name, kind, unit_types, children) in enumerate(DEFAULT_TREE):
        root = category_model.objects.filter(code=code).first()
        if root is None:
            root = category_model(
                code=code,
                name=name,
                kind=kind,
                unit_types=unit_types,
                sort_order=order,
                path=f"{code}/",
            )
            root.save()
            created += 1
        for child_order, (child_code, child_name, child_units) in enumerate(children):
            if category_model.objects.filter(code=child_code).exists():
                continue
            category_model(
                code=child_code,
                name=child_name,
                kind=kind,
                unit_types=child_units,
                parent=root,
                sort_order=child_order,
                path=f"{root.path}{child_code}/",
            ).save()
            created += 1
    if any(f.name == "name_en" for f in category_model._meta.fields):
        fill_english_names(category_model)  # not before the field's migration
    return created
