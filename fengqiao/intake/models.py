"""The one idempotency record of every door: a key a client sent with a registration, and
the case it made."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case


class AppealKey(models.Model):
    """One idempotency key, unique within its principal's key space.

    The principal says whose keys these are: ``user:<id>`` for a signed-in user (the window,
    the API, a grid worker's phone), ``portal`` for citizens' forms (their keys are random
    form tokens), ``source:<name>`` for a transferring system (its own order numbers).
    """

    principal = models.CharField(_("来源"), max_length=64)
    key = models.CharField(_("幂等键"), max_length=128)
    door = models.CharField(_("登记入口"), max_length=16)
    fingerprint = models.CharField(_("内容摘要"), max_length=64)
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="appealkey_unique")
        ]

    def __str__(self) -> str:
        return f"{self.principal}:{self.key}"
