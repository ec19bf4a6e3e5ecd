from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "fengqiao.analytics"
    label = "analytics"
    verbose_name = _("统计分析")

    def ready(self) -> None:
        from fengqiao.analytics.selectors import dashboard_regions
        from fengqiao.core import nav

        nav.register(
            nav.NavItem(
                key="analytics",
                label=_("统计分析"),
                url_name="analytics:dashboard",
                order=80,
                visible=lambda user: user.is_superuser or bool(dashboard_regions(user)),
            )
        )
