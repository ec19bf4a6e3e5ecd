from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "fengqiao.routing"
    label = "routing"
    verbose_name = _("分流研判")

    def ready(self) -> None:
        # Configuration and reference rows edited in this process apply at once (the shared
        # reference cache of fengqiao.core.refcache; no domain logic).
        from django.db.models.signals import post_delete, post_save

        from fengqiao.cases.models import Category
        from fengqiao.org.models import Unit
        from fengqiao.regions.models import Region
        from fengqiao.routing import config, models

        for model in (
            models.KeywordRule,
            models.RiskWord,
            models.RiskWeight,
            models.RiskScheme,
            models.RiskLevel,
            models.CategoryRisk,
            models.ClassifierVersion,
            Category,
            Unit,  # the centers above a region (tier centers), the API's center lookup
            Region,
        ):
            post_save.connect(config.invalidate, sender=model, dispatch_uid=f"routing-{model}")
            post_delete.connect(config.invalidate, sender=model, dispatch_uid=f"routing-d-{model}")
