"""Labels of lower apps that the workbench shows but whose apps keep no English catalogue
yet (supervision). Listed here so that makemessages puts them in the workbench catalogue;
Django finds a translation in any app's catalogue."""

from django.utils.translation import gettext_noop

LABELS = (
    gettext_noop("一般督办"),
    gettext_noop("重点督办"),
    gettext_noop("挂牌督办"),
    gettext_noop("待回复"),
    gettext_noop("已回复"),
    gettext_noop("已办结"),
    gettext_noop("督办单"),
    gettext_noop("督办回复"),
)
