"""Forms of the staff pages. Labels and messages are Chinese source strings in gettext."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import Channel, PartyKind, PartyRole, RiskLevel, Satisfaction, Status
from fengqiao.cases.models import Category
from fengqiao.core.crypto import normalize_id_number, normalize_phone
from fengqiao.core.forms import OwnMessagesForm
from fengqiao.core.validators import LANDLINE_RE, MOBILE_RE, is_resident_id, mod11_2_check
from fengqiao.intake.types import AppealIn, PartyIn
from fengqiao.org.models import Unit
from fengqiao.regions.models import Region
from fengqiao.supervision.choices import Grade

REQUIRED = {"required": _("此项为必填项。")}
WINDOW_CHANNELS = [
    c
    for c in Channel.choices
    if c[0]
    in (
        Channel.WINDOW,
        Channel.PHONE,
        Channel.LETTER,
        Channel.TRANSFER_110,
        Channel.TRANSFER_12345,
        Channel.TRANSFER_COURT,
    )
]


class StaffForm(OwnMessagesForm):
    """Every staff form: a field's errors are our messages, named after its label."""


def validate_phone(value: str) -> str:
    """A Chinese mobile number (11 digits from 1[3-9]) or a landline with area code."""
    digits = normalize_phone(value)
    if not digits:
        return ""
    if not digits.isdigit():
        raise forms.ValidationError(_("电话号码只能包含数字。"))
    if digits.startswith("1"):
        if not MOBILE_RE.match(digits):
            raise forms.ValidationError(_("手机号码应为1开头的11位数字（第二位为3至9）。"))
        return digits
    if not LANDLINE_RE.match(digits):
        raise forms.ValidationError(_("固定电话请带区号，例如 0712-1234567。"))
    return digits


def validate_id_number(value: str) -> str:
    """An 18-character resident ID number: birth date and ISO 7064 MOD 11-2 check digit."""
    text = normalize_id_number(value)
    if not text:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise forms.ValidationError(_("身份证号码应为18位（前17位为数字，最后一位为数字或X）。"))
    if mod11_2_check(text[:17]) != text[17]:
        raise forms.ValidationError(_("身份证号码校验位不正确，请核对最后一位。"))
    if not is_resident_id(text):
        raise forms.ValidationError(_("身份证号码中的出生日期无效。"))
    return text


class LoginForm(StaffForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("密码"),
        error_messages=REQUIRED,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterCaseForm(StaffForm):
    channel = forms.ChoiceField(
        label=_("来源渠道"), choices=WINDOW_CHANNELS, initial=Channel.WINDOW
    )
    title = forms.CharField(
        label=_("事项标题"),
        max_length=200,
        error_messages={**REQUIRED, "max_length": _("标题不能超过200个字。")},
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    description = forms.CharField(
        label=_("诉求内容"),
        max_length=20000,
        error_messages=REQUIRED,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.TypedChoiceField(
        label=_("事项分类"), required=False, coerce=int, empty_value=None, choices=()
    )
    region = forms.CharField(
        label=_("发生地（村/社区）"),
        max_length=12,
        error_messages={"required": _("请选择发生地，至少到乡镇/街道。")},
    )
    address = forms.CharField(label=_("详细地址"), max_length=255, required=False)
    people_count = forms.IntegerField(
        label=_("涉及人数"),
        min_value=1,
        max_value=100000,
        initial=1,
        error_messages={
            **REQUIRED,
            "invalid": _("请输入整数。"),
            "min_value": _("涉及人数至少为1。"),
            "max_value": _("涉及人数不能超过100000。"),
        },
    )
    risk_level = forms.ChoiceField(
        label=_("初判风险等级"), choices=RiskLevel.choices, initial=RiskLevel.BLUE
    )
    applicant_name = forms.CharField(label=_("申请人姓名"), max_length=120, error_messages=REQUIRED)
    applicant_phone = forms.CharField(
        label=_("申请人联系电话"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_id_number = forms.CharField(
        label=_("申请人身份证号码"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    applicant_address = forms.CharField(label=_("申请人住址"), max_length=255, required=False)
    applicant_is_elderly = forms.BooleanField(label=_("老年人"), required=False)
    applicant_is_minor = forms.BooleanField(label=_("未成年人"), required=False)
    applicant_is_disabled = forms.BooleanField(label=_("残疾人"), required=False)
    respondent_kind = forms.ChoiceField(
        label=_("被申请人类型"), choices=PartyKind.choices, initial=PartyKind.PERSON
    )
    respondent_name = forms.CharField(label=_("被申请人姓名/名称"), max_length=120, required=False)
    respondent_phone = forms.CharField(
        label=_("被申请人联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    respondent_id_number = forms.CharField(
        label=_("被申请人身份证号码"), max_length=18, required=False
    )
    note = forms.CharField(
        label=_("受理备注"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, category_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("（请选择或采用建议）")), *category_choices]

    def clean_applicant_phone(self) -> str:
        return validate_phone(self.cleaned_data.get("applicant_phone", ""))

    def clean_respondent_phone(self) -> str:
        return validate_phone(self.cleaned_data.get("respondent_phone", ""))

    def clean_applicant_id_number(self) -> str:
        return validate_id_number(self.cleaned_data.get("applicant_id_number", ""))

    def clean_respondent_id_number(self) -> str:
        return validate_id_number(self.cleaned_data.get("respondent_id_number", ""))

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("respondent_name") and (
            data.get("respondent_phone") or data.get("respondent_id_number")
        ):
            self.add_error("respondent_name", _("填写了被申请人的电话或证件号码时，请填写其姓名。"))
        return data

    def appeal(self, *, center: Unit, region: Region) -> AppealIn:
        """The registration this (valid) form asks for, at ``center`` about ``region``."""
        data = self.cleaned_data
        parties = [
            PartyIn(
                name=data["applicant_name"],
                role=PartyRole.APPLICANT,
                phone=data["applicant_phone"],
                id_number=data["applicant_id_number"],
                address=data["applicant_address"],
                is_elderly=data["applicant_is_elderly"],
                is_minor=data["applicant_is_minor"],
                is_disabled=data["applicant_is_disabled"],
            )
        ]
        if data["respondent_name"]:
            parties.append(
                PartyIn(
                    name=data["respondent_name"],
                    role=PartyRole.RESPONDENT,
                    kind=data["respondent_kind"],
                    phone=data["respondent_phone"],
                    id_number=data["respondent_id_number"],
                )
            )
        category = (
            Category.objects.filter(pk=data["category"]).first() if data["category"] else None
        )
        return AppealIn(
            center=center,
            channel=data["channel"],
            title=data["title"],
            description=data["description"],
            region=region,
            parties=tuple(parties),
            category=category,
            address=data["address"],
            people_count=data["people_count"],
            risk_floor=data["risk_level"],
            note=data["note"],
        )


class CaseFilterForm(StaffForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *Status.choices]
    )
    category = forms.TypedChoiceField(
        label=_("分类"), required=False, coerce=int, empty_value=None, choices=()
    )
    region = forms.CharField(label=_("区划代码"), required=False, max_length=12)
    risk = forms.ChoiceField(
        label=_("风险"), required=False, choices=[("", _("全部等级")), *RiskLevel.choices]
    )
    channel = forms.ChoiceField(
        label=_("渠道"), required=False, choices=[("", _("全部渠道")), *Channel.choices]
    )
    date_from = forms.DateField(
        label=_("受理日期从"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("日期格式应为 年-月-日。")},
    )
    date_to = forms.DateField(
        label=_("至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("日期格式应为 年-月-日。")},
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("-registered_at", _("受理时间（新→旧）")),
            ("registered_at", _("受理时间（旧→新）")),
            ("deadline", _("办理时限（近→远）")),
            ("-deadline", _("办理时限（远→近）")),
            ("-risk", _("风险等级（高→低）")),
            ("code", _("案件编号")),
        ],
    )

    def __init__(self, *args, category_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部分类")), *category_choices]


class ActionForm(StaffForm):
    """The inputs of one status change; which fields exist depends on the action."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, requires=frozenset(), action="", units=(), centers=(), **kw):
        super().__init__(*args, **kw)
        if "lead_unit" in requires:
            self.fields["lead_unit"] = forms.TypedChoiceField(
                label=_("主办单位"),
                coerce=int,
                choices=[("", _("（请选择）")), *units],
                error_messages={"required": _("请选择主办单位。")},
            )
            self.fields["lead_unit"].widget.attrs["data-filterable"] = ""
            self.fields["co_units"] = forms.TypedMultipleChoiceField(
                label=_("协办单位（可多选）"),
                coerce=int,
                required=False,
                choices=list(units),
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "勾选需要协同办理的单位。每个协办单位签收并反馈其办理情况后，主办单位才能"
                    "办结；分流员可说明理由后解除协办。"
                ),
            )
        if "target_center" in requires:
            self.fields["target_center"] = forms.TypedChoiceField(
                label=_("目标综治中心"),
                coerce=int,
                choices=[("", _("（请选择）")), *centers],
                error_messages={"required": _("请选择目标综治中心。")},
            )
        if "result" in requires:
            self.fields["result"] = forms.CharField(
                label=_("办理结果"),
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": _("请填写办理结果。")},
            )
            self.fields["public_result"] = forms.CharField(
                label=_("答复群众（公开，可不填则同办理结果）"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if "satisfaction" in requires:
            self.fields["satisfaction"] = forms.ChoiceField(
                label=_("群众满意度"),
                choices=[("", _("（请选择）")), *Satisfaction.choices],
                error_messages={"required": _("请选择满意度。")},
            )
        self.fields["note"] = forms.CharField(
            label=_("理由或说明") if "note" in requires else _("说明（可选）"),
            required="note" in requires,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": _("请填写理由或说明。")},
        )

    def co_unit_groups(self) -> list[tuple[str, list[tuple[int, str, bool]]]]:
        """The co-handler checkboxes by group, each with whether it is ticked now."""
        field = self["co_units"]
        ticked = {str(v) for v in (field.value() or [])}
        return [
            (group, [(pk, label, str(pk) in ticked) for pk, label in options])
            for group, options in self.fields["co_units"].choices
            if isinstance(options, list | tuple)
        ]


class SuperviseForm(StaffForm):
    grade = forms.ChoiceField(label=_("督办等级"), choices=Grade.choices)
    requirement = forms.CharField(
        label=_("督办要求"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写督办要求。")},
    )
    reply_deadline = forms.DateTimeField(
        label=_("回复期限"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("请填写回复期限。"), "invalid": _("时间格式不正确。")},
    )


class ReplyForm(StaffForm):
    text = forms.CharField(
        label=_("回复内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写回复内容。")},
    )


class CoReportForm(StaffForm):
    report = forms.CharField(
        label=_("协办反馈"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写协办反馈。")},
    )


class AttachmentForm(StaffForm):
    file = forms.FileField(label=_("选择文件"), error_messages={"required": _("请选择文件。")})


class VisitForm(StaffForm):
    """A visit back (回访) recorded by staff."""

    method = forms.ChoiceField(label=_("回访方式"), choices=())
    reached = forms.BooleanField(label=_("已联系上群众"), required=False, initial=True)
    reached_person = forms.CharField(label=_("受访人"), max_length=60, required=False)
    satisfaction = forms.ChoiceField(
        label=_("群众满意度"),
        required=False,
        choices=[("", _("（请选择）")), *Satisfaction.choices],
    )
    comment = forms.CharField(
        label=_("回访记录"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, methods=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = list(methods)
