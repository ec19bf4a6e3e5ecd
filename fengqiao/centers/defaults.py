"""The seeds' figures, loaded as editable rows by migration 0002 (and by tests)."""

from __future__ import annotations

from django.apps import apps as django_apps
from django.utils.translation import gettext_noop

# (code, group, name, name_en, points, levels)
CHECKLIST = [
    ("have_sign", "five_have", "有牌子", "A sign", 10, []),
    ("have_place", "five_have", "有场所", "Premises", 10, []),
    ("have_staff", "five_have", "有力量", "Staff", 10, []),
    ("have_mechanism", "five_have", "有机制", "Working mechanisms", 10, []),
    ("have_effect", "five_have", "有效果", "Results", 10, []),
    ("norm_name", "five_norms", "名称规范", "Standard name", 5, []),
    ("norm_function", "five_norms", "职能规范", "Standard functions", 5, []),
    ("norm_process", "five_norms", "流程规范", "Standard process", 5, []),
    ("norm_rules", "five_norms", "制度规范", "Standard rules", 5, []),
    ("norm_ledger", "five_norms", "台账规范", "Standard records", 5, []),
    ("area_reception", "area", "引导受理区", "Guidance and reception area", 5, []),
    ("area_resolution", "area", "多元化解区", "Multi-channel resolution area", 5, []),
    ("area_command", "area", "指挥调度区", "Command and dispatch area", 5, [1, 2, 3]),
    ("area_analysis", "area", "研判分析区", "Analysis area", 5, [1, 2, 3]),
    ("area_mediation", "area", "调解室", "Mediation room", 5, [3, 4, 5]),
]
# level → (min full-time, max full-time, residency target %)
NORMS = {1: (5, None, 50), 2: (5, None, 50), 3: (5, None, 50), 4: (3, 5, 50), 5: (1, None, 0)}
# (code, name, name_en, weight)
WEIGHTS = [
    ("on_time", "按期办结率", "On-time rate", 30),
    ("returns", "退回率", "Returns", 15),
    ("supervision", "督办情况", "Supervision", 15),
    ("satisfaction", "群众满意率", "Satisfaction", 25),
    ("standard", "规范化建设", "Standardization", 15),
]
ROSTER = ["总指挥", "副总指挥", "现场处置组长", "舆情引导组长"]
# (code, name, name_en, incident, tasks [(title, minutes)])
PLANS = [
    (
        "mass_petition",
        "群体性上访事件处置预案",
        "Plan for a mass petition",
        "群体性事件",
        [
            ("值班领导到场", 30),
            ("通知相关部门报到", 30),
            ("现场劝导、登记诉求", 60),
            ("研判并明确包案领导", 120),
            ("向上级报告处置情况", 240),
        ],
    ),
    (
        "wage_arrears",
        "欠薪讨薪事件处置预案",
        "Plan for wage arrears",
        "劳资纠纷",
        [
            ("人社、住建部门到场", 60),
            ("核实欠薪金额和人数", 120),
            ("约谈用工单位负责人", 240),
            ("制定支付方案", 1440),
        ],
    ),
    (
        "extreme_risk",
        "个人极端风险处置预案",
        "Plan for a risk of extreme acts",
        "个人极端",
        [
            ("公安到场稳控", 15),
            ("联系家属和所在村", 30),
            ("心理疏导", 120),
            ("落实稳控责任人", 240),
        ],
    ),
]

# The names of the plans' posts, incident types and tasks, for the catalogue (the pages
# show them through {% translate %}).
CATALOGUE = [
    gettext_noop("总指挥"),
    gettext_noop("副总指挥"),
    gettext_noop("现场处置组长"),
    gettext_noop("舆情引导组长"),
    gettext_noop("群体性事件"),
    gettext_noop("劳资纠纷"),
    gettext_noop("个人极端"),
    gettext_noop("值班领导到场"),
    gettext_noop("通知相关部门报到"),
    gettext_noop("现场劝导、登记诉求"),
    gettext_noop("研判并明确包案领导"),
    gettext_noop("向上级报告处置情况"),
    gettext_noop("人社、住建部门到场"),
    gettext_noop("核实欠薪金额和人数"),
    gettext_noop("约谈用工单位负责人"),
    gettext_noop("制定支付方案"),
    gettext_noop("公安到场稳控"),
    gettext_noop("联系家属和所在村"),
    gettext_noop("心理疏导"),
    gettext_noop("落实稳控责任人"),
]


def load(get_model) -> None:
    """Write the default rows that are missing (never overwrite an admin's edit)."""
    item = get_model("centers", "ChecklistItem")
    for i, (code, group, name, name_en, points, levels) in enumerate(CHECKLIST):
        item.objects.get_or_create(
            code=code,
            defaults={
                "group": group,
                "name": name,
                "name_en": name_en,
                "points": points,
                "levels": levels,
                "sort_order": i,
            },
        )
    norm = get_model("centers", "StaffingNorm")
    for level, (lo, hi, target) in NORMS.items():
        norm.objects.get_or_create(
            level=level,
            defaults={"min_full_time": lo, "max_full_time": hi, "residency_target": target},
        )
    weight = get_model("centers", "AssessmentWeight")
    for i, (code, name, name_en, w) in enumerate(WEIGHTS):
        weight.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "weight": w, "sort_order": i}
        )
    plan = get_model("centers", "PlanTemplate")
    for i, (code, name, name_en, incident, tasks) in enumerate(PLANS):
        plan.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "incident": incident,
                "roster": ROSTER,
                "sort_order": i,
                "tasks": [{"title": t, "minutes": m} for t, m in tasks],
            },
        )


def ensure_defaults() -> None:
    load(django_apps.get_model)
