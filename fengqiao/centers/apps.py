from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    name = "fengqiao.centers"
    label = "centers"
    verbose_name = _("中心建设")

    def ready(self) -> None:
        # Function-local: the selectors import models, which the app registry loads first.
        from fengqiao.centers.selectors import may_use_centers
        from fengqiao.core import nav

        nav.register(
            nav.NavItem(
                key="centers",
                label=_("中心建设"),
                url_name="centers:home",
                order=45,
                visible=may_use_centers,
            )
        )
