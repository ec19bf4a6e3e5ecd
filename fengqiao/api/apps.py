from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "fengqiao.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from fengqiao.api.models import ApiToken
        from fengqiao.api.services import forget_authenticated
        from fengqiao.org.models import Membership, Unit, User

        # Who a token stands for changes with these rows: a save in this process takes
        # effect at once (other processes within AUTH_CACHE_SECONDS).
        for model in (ApiToken, User, Membership, Unit):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_authenticated, sender=model, dispatch_uid=f"api-auth-{model.__name__}"
                )
