from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "fengqiao.grid"
    label = "grid"
    verbose_name = _("网格管理")

    def ready(self) -> None:
        # Function-local: the selectors import models, which the app registry loads first.
        from fengqiao.core import nav
        from fengqiao.grid.selectors import may_use_grid

        nav.register(
            nav.NavItem(
                key="grid",
                label=_("网格管理"),
                url_name="grid:index",
                order=40,
                visible=may_use_grid,
            )
        )
