"""The default time limits of DESIGN §3.4 (every one editable by admins)."""

from django.db import migrations

DEFAULTS = [
    # name, kind, risk, counting, sign, resolve, visit, report_every, max_ext, max_ext_days
    ("默认时限", "", "", "working", 1, 10, 5, None, 1, 10),
    ("矛盾纠纷（蓝色·村级调）", "dispute", "blue", "working", 1, 10, 5, None, 1, 10),
    ("矛盾纠纷（黄色·乡级办）", "dispute", "yellow", "working", 1, 15, 5, None, 1, 10),
    ("矛盾纠纷（红色·市级统）", "dispute", "red", "working", 1, 30, 5, 5, 1, 10),
    ("红色风险案件（首次响应和稳控）", "", "red", "working", 1, 30, 5, 5, 1, 10),
    ("法律咨询", "legal", "", "working", 1, 3, 5, None, 1, 3),
    ("安全隐患", "hazard", "", "working", 1, 5, 5, None, 1, 5),
    ("信访诉求（告知受理15日，办理60日，可延期一次30日）", "petition", "", "natural", 15, 60, 5,
     None, 1, 30),
]  # fmt: skip


def add_defaults(apps, schema_editor):
    Rule = apps.get_model("deadlines", "TimeLimitRule")
    if Rule.objects.exists():
        return
    for name, kind, risk, counting, sign, resolve, visit, every, ext, ext_days in DEFAULTS:
        Rule.objects.create(
            name=name, kind=kind, risk_level=risk, counting=counting, sign_days=sign,
            resolve_days=resolve, visit_days=visit, report_every_days=every,
            max_extensions=ext, max_extension_days=ext_days,
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
