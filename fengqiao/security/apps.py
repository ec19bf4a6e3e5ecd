from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "fengqiao.security"
    label = "security"
    verbose_name = _("安全审计")

    def ready(self) -> None:
        # Function-local: these modules import models, which the app registry loads first.
        from fengqiao.core import nav
        from fengqiao.security import login, signals  # noqa: F401  (signal receivers)
        from fengqiao.security.selectors import may_review_audit

        nav.register(
            nav.NavItem(
                key="security",
                label=_("安全审计"),
                url_name="security:audit",
                order=90,
                visible=may_review_audit,
            )
        )
