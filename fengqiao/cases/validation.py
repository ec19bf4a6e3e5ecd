"""The rules a case's own fields obey, with the messages a user reads when one is broken."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fengqiao.cases.choices import PartyKind, PartyRole
from fengqiao.core.errors import ValidationFailed
from fengqiao.core.validators import is_phone, is_resident_id

TITLE_MAX = 200
DESCRIPTION_MAX = 20000
ADDRESS_MAX = 255
NAME_MAX = 120
MAX_PEOPLE = 100000


def clean_text(value: str, label: str, *, max_length: int, required: bool = True) -> str:
    """The text stripped, or a refusal naming the field: missing, too long, or holding a NUL
    character (which no database column keeps)."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("请填写%(label)s。") % {"label": label}, field=label)
    if len(value) > max_length:
        raise ValidationFailed(
            _("%(label)s不能超过%(n)d个字。") % {"label": label, "n": max_length}, field=label
        )
    if "\x00" in value:
        raise ValidationFailed(
            _("%(label)s含有无法识别的字符，请删除后重试。") % {"label": label}, field=label
        )
    return value


def check_party(
    *, name: str, role: str, kind: str, phone: str = "", id_number: str = "", address: str = ""
) -> None:
    """Refuse a party whose name, role, phone or ID number is not valid."""
    clean_text(name, _("当事人姓名"), max_length=NAME_MAX)
    clean_text(address, _("当事人地址"), max_length=ADDRESS_MAX, required=False)
    if role not in PartyRole.values or kind not in PartyKind.values:
        raise ValidationFailed(_("当事人身份或类型无效。"), field="parties")
    if phone and not is_phone(phone):
        raise ValidationFailed(
            _("联系电话“%(phone)s”格式不正确，请填写11位手机号或带区号的固定电话。")
            % {"phone": phone},
            field="phone",
        )
    if id_number and not is_resident_id(id_number):
        raise ValidationFailed(
            _("身份证号码不正确（请核对位数、出生日期和最后一位校验码）。"), field="id_number"
        )
