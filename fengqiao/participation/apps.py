from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "fengqiao.participation"
    label = "participation"
    verbose_name = _("群众参与")

    def ready(self) -> None:
        # Function-local: the selectors import models, which the app registry loads first.
        from fengqiao.core import nav
        from fengqiao.participation.selectors import may_use

        nav.register(
            nav.NavItem(
                key="participation",
                label=_("群众参与"),
                url_name="participation:index",
                order=60,
                visible=may_use,
            )
        )
