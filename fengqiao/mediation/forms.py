"""Forms of the mediation pages (staff and portal). Chinese source strings in gettext."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Category
from fengqiao.mediation.choices import (
    OrganizationKind,
    Outcome,
    ProviderKind,
    Residency,
    ServiceKind,
    ServiceStatus,
    SessionMode,
    SignatureMethod,
    TransferKind,
)
from fengqiao.mediation.models import Mediator, Organization, Room
from fengqiao.org.models import Unit

REQUIRED = {"required": _("此项为必填项。")}
EMPTY = _("请选择")
WEEKDAYS = [
    (0, _("周一")),
    (1, _("周二")),
    (2, _("周三")),
    (3, _("周四")),
    (4, _("周五")),
    (5, _("周六")),
    (6, _("周日")),
]


class Form(forms.Form):
    """No colon after labels: the layouts put each label on its own line."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _dt_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DirectoryFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *ProviderKind.choices]
    )
    specialty = forms.ChoiceField(label=_("擅长领域"), required=False, choices=())
    language = forms.CharField(label=_("语言/方言"), required=False, max_length=20)
    residency = forms.ChoiceField(
        label=_("入驻方式"), required=False, choices=[("", _("全部")), *Residency.choices]
    )
    organization_kind = forms.ChoiceField(
        label=_("组织类别"), required=False, choices=[("", _("全部")), *OrganizationKind.choices]
    )
    q = forms.CharField(label=_("姓名"), required=False, max_length=30)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cats = Category.objects.filter(kind="dispute", is_active=True).order_by("path")
        self.fields["specialty"].choices = [("", _("全部"))] + [
            (c.code, c.display_name) for c in cats.only("code", "name", "name_en", "path")
        ]


class MediatorForm(Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ProviderKind.choices)
    name = forms.CharField(label=_("姓名"), max_length=64, error_messages=REQUIRED)
    center = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("所在综治中心"), queryset=Unit.objects.none()
    )
    organization = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("调解组织"), required=False, queryset=Organization.objects.none()
    )
    title = forms.CharField(label=_("职务/职称"), max_length=64, required=False)
    bio = forms.CharField(
        label=_("个人简介"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    specialties = forms.ModelMultipleChoiceField(
        label=_("擅长领域"),
        required=False,
        queryset=Category.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=_("语言/方言（用顿号或逗号分隔）"), max_length=160, required=False, initial="普通话"
    )
    residency = forms.ChoiceField(label=_("入驻方式"), choices=Residency.choices)
    schedule_note = forms.CharField(label=_("坐班安排"), max_length=200, required=False)
    is_chief = forms.BooleanField(label=_("首席"), required=False)
    max_open_cases = forms.IntegerField(
        label=_("同时承办上限"), min_value=1, max_value=200, initial=8
    )
    is_published = forms.BooleanField(label=_("在门户公开"), required=False, initial=True)
    phone = forms.CharField(
        label=_("联系电话（用于回避核对，不公开）"), max_length=20, required=False
    )
    id_number = forms.CharField(
        label=_("身份证号码（用于回避核对，不公开）"), max_length=20, required=False
    )
    days = forms.MultipleChoiceField(
        label=_("值班日"), required=False, choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    day_start = forms.TimeField(
        label=_("值班开始"),
        required=False,
        initial=dt.time(9),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    day_end = forms.TimeField(
        label=_("值班结束"),
        required=False,
        initial=dt.time(17),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )

    def __init__(self, *args, centers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers if centers is not None else Unit.objects.none()
        self.fields["organization"].queryset = Organization.objects.filter(is_active=True)
        self.fields["specialties"].queryset = Category.objects.filter(
            kind="dispute", parent__isnull=False, is_active=True
        ).select_related("parent")
        self.fields["specialties"].label_from_instance = lambda c: c.display_full_name

    def clean_languages(self) -> list[str]:
        text = self.cleaned_data["languages"].replace("，", ",").replace("、", ",")
        return [p.strip() for p in text.split(",") if p.strip()]

    def clean(self):
        data = super().clean()
        if data.get("days") and not (data.get("day_start") and data.get("day_end")):
            self.add_error("day_end", _("请填写值班时间。"))
        return data


class RelativeForm(Form):
    name = forms.CharField(label=_("亲属姓名"), max_length=64)
    relation = forms.CharField(label=_("关系"), max_length=32)
    phone = forms.CharField(label=_("电话"), max_length=20, required=False)
    id_number = forms.CharField(label=_("身份证号码"), max_length=20, required=False)


class RequestForm(Form):
    mediator = forms.ModelChoiceField(
        empty_label=EMPTY,
        label=_("调解员/法律专家"),
        queryset=Mediator.objects.none(),
        error_messages={
            "required": _("请选择一位调解员。"),
            "invalid_choice": _("请选择名录中的调解员。"),
        },
    )
    note = forms.CharField(
        label=_("说明（可不填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["mediator"].queryset = candidates


class DecideForm(Form):
    decision = forms.ChoiceField(choices=[("confirm", _("确认")), ("propose", _("另荐"))])
    proposed = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("另荐调解员"), queryset=Mediator.objects.none(), required=False
    )
    reason = forms.CharField(label=_("理由"), max_length=500, required=False)

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["proposed"].queryset = candidates


class ScheduleForm(Form):
    mediator = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("主持调解员"), queryset=Mediator.objects.none()
    )
    mode = forms.ChoiceField(label=_("方式"), choices=SessionMode.choices)
    room = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("调解室"), queryset=Room.objects.none(), required=False
    )
    online_link = forms.CharField(label=_("线上会议链接"), max_length=300, required=False)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=_dt_widget(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=_dt_widget(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )

    def __init__(self, *args, candidates=None, rooms=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["mediator"].queryset = candidates
        if rooms is not None:
            self.fields["room"].queryset = rooms
        if not self.is_bound:
            start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            start += dt.timedelta(days=1)
            start = start.replace(hour=9)
            self.initial.setdefault("starts_at", start)
            self.initial.setdefault("ends_at", start + dt.timedelta(hours=2))


class OutcomeForm(Form):
    outcome = forms.ChoiceField(
        label=_("调解结果"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("调解笔录"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    facts = forms.CharField(
        label=_("纠纷主要事实、争议事项"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    terms = forms.CharField(
        label=_("协议内容（每条一行）"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    performance = forms.CharField(label=_("履行方式、时限"), max_length=500, required=False)
    failure_reason = forms.CharField(
        label=_("未达成原因"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_unit = forms.ModelChoiceField(
        empty_label=EMPTY,
        label=_("建议转交（承办单位或人民法院）"),
        queryset=Unit.objects.none(),
        required=False,
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["next_unit"].queryset = units

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome in (Outcome.SUCCESS, Outcome.PARTIAL):
            for name in ("facts", "terms"):
                if not data.get(name):
                    self.add_error(name, _("调解成功时请填写此项。"))
        if outcome == Outcome.FAILED and not data.get("failure_reason"):
            self.add_error("failure_reason", _("请填写未达成协议的原因。"))
        return data


class DispatchForm(Form):
    lead_unit = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("承办单位或人民法院"), queryset=Unit.objects.none()
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["lead_unit"].queryset = units


class SignForm(Form):
    signer = forms.ChoiceField(label=_("签字人"))
    method = forms.ChoiceField(
        label=_("方式"),
        choices=SignatureMethod.choices,
        widget=forms.RadioSelect,
        initial=SignatureMethod.SCREEN,
    )
    scan = forms.FileField(label=_("签字扫描件（PNG/JPG）"), required=False)
    drawn = forms.CharField(required=False, widget=forms.HiddenInput, max_length=3_000_000)

    def __init__(self, *args, signers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signer"].choices = list(signers)


class CourtForm(Form):
    court = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("人民法院"), queryset=Unit.objects.none()
    )

    def __init__(self, *args, courts=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if courts is not None:
            self.fields["court"].queryset = courts


class RulingForm(Form):
    confirmed = forms.TypedChoiceField(
        label=_("裁定结果"),
        coerce=lambda v: v == "1",
        choices=[("1", _("确认有效")), ("0", _("驳回申请"))],
    )
    ruling_number = forms.CharField(label=_("裁定书文号"), max_length=64, required=False)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False)


class PackageForm(Form):
    preset = forms.ChoiceField(label=_("套餐"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("服务项目"),
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    due_days = forms.IntegerField(
        label=_("办理期限（天）"), min_value=1, max_value=365, required=False
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, presets=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [("", _("自选"))] + [(p.code, p.label) for p in presets]


class ServiceUpdateForm(Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[
            c
            for c in ServiceStatus.choices
            if c[0] not in (ServiceStatus.CANCELLED, ServiceStatus.PENDING)
        ],
    )
    outcome = forms.CharField(label=_("办理结果"), max_length=5000, required=False)


class TransferForm(Form):
    kind = forms.ChoiceField(label=_("对接类型"), choices=TransferKind.choices)
    from_unit = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("移送单位"), queryset=Unit.objects.none()
    )
    to_unit = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("接收中心"), queryset=Unit.objects.none()
    )
    reason = forms.CharField(
        label=_("移送说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, senders=None, receivers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if senders is not None:
            self.fields["from_unit"].queryset = senders
        if receivers is not None:
            self.fields["to_unit"].queryset = receivers


class ReturnForm(Form):
    reason = forms.CharField(label=_("退回理由"), max_length=2000)


class BookingForm(Form):
    room = forms.ModelChoiceField(
        empty_label=EMPTY, label=_("调解室"), queryset=Room.objects.none()
    )
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=_dt_widget(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=_dt_widget(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)

    def __init__(self, *args, rooms=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if rooms is not None:
            self.fields["room"].queryset = rooms


class VerifyCaseForm(Form):
    """The portal's check before 点单: the case code and the phone's last four digits."""

    phone_last4 = forms.CharField(
        label=_("联系电话后四位"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("请输入联系电话后四位。"),
            "min_length": _("请输入4位数字。"),
        },
    )


class AgreementCheckForm(Form):
    code = forms.CharField(
        label=_("验证码"), max_length=20, error_messages={"required": _("请输入协议书上的验证码。")}
    )
