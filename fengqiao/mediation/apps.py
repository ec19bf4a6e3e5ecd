from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "fengqiao.mediation"
    label = "mediation"
    verbose_name = _("调解与法律服务")

    def ready(self) -> None:
        # Imported here: the selectors read models, which are not ready at import time.
        from fengqiao.core import nav
        from fengqiao.mediation.selectors import may_use_mediation

        nav.register(
            nav.NavItem(
                key="mediation",
                label=_("调解"),
                url_name="mediation:home",
                order=30,
                visible=may_use_mediation,
            )
        )
