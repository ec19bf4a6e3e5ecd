"""Forms of the citizen portal. Labels and messages are the portal's own plain words."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import CaseKind, Satisfaction
from fengqiao.core.forms import OwnMessagesForm
from fengqiao.core.validators import is_phone

# What a citizen reads for each kind of appeal (plain words, with examples).
KIND_CHOICES = [
    ("", _("请选择")),
    (CaseKind.DISPUTE, _("矛盾纠纷（邻里、家庭、劳动等）")),
    (CaseKind.SECURITY, _("治安问题（偷盗、打架、扰民等）")),
    (CaseKind.HAZARD, _("安全隐患（房屋、消防、道路等）")),
    (CaseKind.LEGAL, _("法律咨询")),
    (CaseKind.PETITION, _("信访诉求")),
    (CaseKind.LIVELIHOOD, _("民生诉求（供水、环境、社保等）")),
    (CaseKind.OTHER, _("其他")),
]

SATISFACTION_CHOICES = [
    (Satisfaction.SATISFIED, _("满意")),
    (Satisfaction.BASIC, _("基本满意")),
    (Satisfaction.DISSATISFIED, _("不满意")),
]

# Plain-language status names for the public page.
STATUS_LABELS = {
    "registered": _("已受理"),
    "mediating": _("调解中"),
    "dispatched": _("已转交承办单位"),
    "handling": _("办理中"),
    "resolved": _("已办结，待审核"),
    "closed": _("已结案，待评价"),
    "archived": _("已完成"),
    "rejected": _("不予受理"),
    "withdrawn": _("已撤回"),
}
SATISFACTION_LABELS = dict(SATISFACTION_CHOICES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def clean_phone_value(value: str) -> str:
    value = (value or "").strip()
    if not is_phone(value):
        raise forms.ValidationError(
            _("请填写正确的手机号码（11位）或带区号的固定电话。"), code="phone"
        )
    return value


class PortalForm(OwnMessagesForm):
    """No colon after labels: the layout puts each label on its own line. A field's errors
    are our messages, named after its label."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AppealForm(PortalForm):
    """The appeal itself; the place comes from the region picker (see views)."""

    kind = forms.ChoiceField(
        label=_("反映事项类型"),
        choices=KIND_CHOICES,
        error_messages={"required": _("请选择反映事项类型。")},
    )
    description = forms.CharField(
        label=_("具体情况"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写清楚发生了什么、涉及谁、您希望怎样解决（10至2000字）。"),
        error_messages={
            "required": _("请填写具体情况。"),
            "min_length": _("请至少写%(limit_value)d个字，把事情说清楚。"),
            "max_length": _("具体情况不能超过%(limit_value)d个字。"),
        },
    )
    address = forms.CharField(
        label=_("详细地址（选填）"),
        required=False,
        max_length=200,
        help_text=_("如：某某路12号、某某小区3栋"),
        error_messages={"max_length": _("详细地址不能超过%(limit_value)d个字。")},
    )
    name = forms.CharField(
        label=_("您的称呼（选填）"),
        required=False,
        max_length=40,
        help_text=_("可以只写姓氏，如“王女士”"),
        error_messages={"max_length": _("称呼不能超过%(limit_value)d个字。")},
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("用于工作人员联系您，查询进度时需要核对后四位。"),
        error_messages={"required": _("请填写联系电话。")},
    )
    attachments = MultipleFileField(
        label=_("图片或材料（选填）"),
        required=False,
        widget=MultipleFileInput(
            attrs={"class": "file-input", "aria-labelledby": "attachments-label"}
        ),
        help_text=_("最多5个，每个不超过10MB；支持图片、PDF、音视频和Office文档。"),
    )

    def clean_phone(self) -> str:
        return clean_phone_value(self.cleaned_data.get("phone", ""))


class TrackForm(PortalForm):
    code = forms.CharField(
        label=_("案件编号"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        help_text=_("20位，在受理回执或短信中"),
        error_messages={"required": _("请填写案件编号。")},
    )
    phone_last4 = forms.RegexField(
        label=_("联系电话后四位"),
        regex=r"^\d{4}$",
        max_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": _("请填写联系电话后四位。"),
            "invalid": _("请填写4位数字。"),
        },
    )


class RatingForm(PortalForm):
    satisfaction = forms.ChoiceField(
        label=_("您对办理结果是否满意？"),
        choices=SATISFACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意程度。")},
    )
    comment = forms.CharField(
        label=_("意见和建议（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("意见和建议不能超过%(limit_value)d个字。")},
    )
