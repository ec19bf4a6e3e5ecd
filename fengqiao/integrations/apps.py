from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "fengqiao.integrations"
    label = "integrations"
    verbose_name = _("系统对接")

    def ready(self) -> None:
        # Imported here: the selectors read models, which are not ready at import time.
        from fengqiao.core import nav
        from fengqiao.integrations.selectors import may_use_integrations

        nav.register(
            nav.NavItem(
                key="integrations",
                label=_("系统对接"),
                url_name="integrations:home",
                order=80,
                visible=may_use_integrations,
            )
        )
