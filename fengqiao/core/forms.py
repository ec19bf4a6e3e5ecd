"""Form error messages of our own, named after the field's label, in gettext.

Django's own wording ("确保该变量包含不超过 20000 字符") reads like a programmer's message and
says nothing of which field is meant. :class:`OwnMessagesForm` gives every field of a form,
including the fields a subclass adds in ``__init__``, clear messages for what can go wrong
with it. A message a field declares itself (``error_messages={...}``) is kept.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext as _

# Codes whose message Django formats with %(…)s parameters (a % in a label must be escaped).
_WITH_PARAMS = {"max_length", "min_length", "min_value", "max_value", "step_size", "invalid_choice"}
# A closing remark in brackets is no part of the field's name: 详细地址（选填）→ 详细地址.
_REMARK = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")


def short_label(field: forms.Field, name: str) -> str:
    label = str(field.label or name)
    return _REMARK.sub("", label).rstrip("：:？?").strip() or label


def _required(field: forms.Field) -> str:
    if isinstance(field, forms.BooleanField):
        return _("请勾选%(label)s。")
    if isinstance(field, forms.FileField):
        return _("请选择要上传的%(label)s。")
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return _("请选择%(label)s。")
    return _("请填写%(label)s。")


def _invalid(field: forms.Field) -> str:
    if isinstance(field, forms.IntegerField):
        return _("%(label)s请填写整数。")
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return _("%(label)s请填写数字。")
    if isinstance(field, forms.DateTimeField):
        return _("%(label)s的时间格式不正确，应为 年-月-日 时:分。")
    if isinstance(field, forms.DateField):
        return _("%(label)s的日期格式应为 年-月-日。")
    if isinstance(field, forms.EmailField):
        return _("%(label)s请填写有效的电子邮箱地址。")
    if isinstance(field, forms.FileField):
        return _("%(label)s未收到文件，请重新选择。")
    return _("%(label)s的格式不正确。")


def messages_for(field: forms.Field) -> dict[str, str]:
    """Our message for each error ``field`` can raise (the label still as %(label)s)."""
    messages = {"required": _required(field), "invalid": _invalid(field)}
    if isinstance(field, forms.CharField):
        messages["max_length"] = _(
            "%(label)s不能超过%(limit_value)d个字（现有%(show_value)d个字）。"
        )
        messages["min_length"] = _("%(label)s至少要%(limit_value)d个字（现有%(show_value)d个字）。")
        messages["null_characters_not_allowed"] = _(
            "%(label)s含有无法保存的空字符，请删去后再提交。"
        )
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        messages["min_value"] = _("%(label)s不能小于%(limit_value)s。")
        messages["max_value"] = _("%(label)s不能大于%(limit_value)s。")
        messages["step_size"] = _("%(label)s应为%(limit_value)s的整数倍。")
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        messages["invalid_choice"] = _("%(label)s的选项无效，请重新选择。")
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        messages["invalid_list"] = _("%(label)s请选择一项或多项。")
    if isinstance(field, forms.FileField):
        messages["missing"] = _("%(label)s未收到文件，请重新选择。")
        messages["empty"] = _("%(label)s所选的文件是空的。")
        messages["contradiction"] = _("%(label)s：请上传新文件或勾选清除，不要同时进行。")
        messages["max_length"] = _("%(label)s的文件名太长，请改短后再上传。")
    if isinstance(field, forms.ImageField):
        messages["invalid_image"] = _("%(label)s不是有效的图片，请换一张。")
    return messages


def _django_defaults(field: forms.Field) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def apply_own_messages(form: forms.BaseForm) -> None:
    """Replace Django's default messages on every field of ``form`` with ours."""
    for name, field in form.fields.items():
        if getattr(field, "_own_messages", False):
            continue
        label = short_label(field, name)
        defaults = _django_defaults(field)
        for code, template in messages_for(field).items():
            current = field.error_messages.get(code)
            # Django's defaults are the very objects of default_error_messages; anything else
            # is the field's own message (which may read the same once translated).
            if current is not None and current is not defaults.get(code):
                continue
            safe = label.replace("%", "%%") if code in _WITH_PARAMS else label
            field.error_messages[code] = template.replace("%(label)s", safe)
        field._own_messages = True  # type: ignore[attr-defined]  # our marker on the field


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class OwnMessagesMixin(_FormBase):
    """Mixed into a form: its fields' errors are our messages in the active language."""

    def full_clean(self) -> None:
        apply_own_messages(self)
        super().full_clean()


class OwnMessagesForm(OwnMessagesMixin, forms.Form):
    pass
