from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import Action
from fengqiao.core.forms import OwnMessagesForm
from fengqiao.integrations.choices import PartnerKind


class PartnerForm(OwnMessagesForm):
    code = forms.SlugField(label=_("系统代码"), max_length=32)
    name = forms.CharField(label=_("系统名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类型"), choices=PartnerKind.choices)
    center = forms.TypedChoiceField(label=_("受理中心"), coerce=int)
    callback_url = forms.URLField(label=_("状态回调地址"), required=False)


class SubscriptionForm(OwnMessagesForm):
    name = forms.CharField(label=_("名称"), max_length=80)
    url = forms.URLField(label=_("接收地址"), max_length=500)
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int, required=False, empty_value=None)
    region = forms.CharField(label=_("区划代码"), max_length=12, required=False)
    actions = forms.MultipleChoiceField(
        label=_("事件（不选则全部）"),
        choices=Action.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ImportForm(OwnMessagesForm):
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))


class CameraForm(OwnMessagesForm):
    code = forms.CharField(label=_("设备编号"), max_length=32)
    name = forms.CharField(label=_("名称"), max_length=100)
    region = forms.CharField(label=_("区划代码"), max_length=12)
    place = forms.CharField(label=_("点位"), max_length=200, required=False)
    platform_ref = forms.CharField(label=_("平台标识"), max_length=120, required=False)


class CitationForm(OwnMessagesForm):
    camera = forms.CharField(label=_("设备编号"), max_length=32)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
