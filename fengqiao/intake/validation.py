"""The checks an appeal passes before anything is written, each refusal naming its field."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.cases.validation import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    MAX_PEOPLE,
    TITLE_MAX,
    check_party,
    clean_text,
)
from fengqiao.core.errors import ValidationFailed
from fengqiao.intake.types import AppealIn
from fengqiao.org.choices import UnitKind

RISK_CODE_MAX = 16


def check_appeal(appeal: AppealIn) -> None:
    """Refuse an appeal whose fields, place, center or parties are not valid."""
    clean_text(appeal.title, _("标题"), max_length=TITLE_MAX)
    clean_text(appeal.description, _("诉求内容"), max_length=DESCRIPTION_MAX)
    clean_text(appeal.address, _("地址"), max_length=ADDRESS_MAX, required=False)
    clean_text(appeal.note, _("备注"), max_length=DESCRIPTION_MAX, required=False)
    if appeal.channel not in Channel.values:
        raise ValidationFailed(_("来源渠道无效。"), field="channel")
    center = appeal.center
    if center.kind != UnitKind.CENTER or not center.is_active:
        raise ValidationFailed(_("请选择一个有效的综治中心。"), field="center")
    if not appeal.region.path.startswith(center.region_path):
        raise ValidationFailed(
            _("发生地“%(region)s”不在%(center)s的管辖范围内。")
            % {"region": appeal.region, "center": center},
            field="region",
        )
    if appeal.grid is not None and appeal.grid.region_id != appeal.region.code:
        raise ValidationFailed(_("网格不属于所选村/社区。"), field="grid")
    if not 1 <= appeal.people_count <= MAX_PEOPLE:
        raise ValidationFailed(_("涉及人数应在1到100000之间。"), field="people_count")
    if len(appeal.risk_floor) > RISK_CODE_MAX:
        raise ValidationFailed(_("风险等级无效。"), field="risk_level")
    for value, label, bound in (
        (appeal.latitude, _("纬度"), 90),
        (appeal.longitude, _("经度"), 180),
    ):
        if value is not None and not (-bound <= float(value) <= bound):
            raise ValidationFailed(_("%(label)s超出范围。") % {"label": label}, field="location")
    if not any(p.role == PartyRole.APPLICANT for p in appeal.parties):
        raise ValidationFailed(_("请至少填写一名申请人。"), field="parties")
    for p in appeal.parties:
        check_party(
            name=p.name,
            role=p.role,
            kind=p.kind,
            phone=p.phone,
            id_number=p.id_number,
            address=p.address,
        )
