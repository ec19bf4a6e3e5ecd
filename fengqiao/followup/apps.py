from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "fengqiao.followup"
    label = "followup"
    verbose_name = _("回访")
