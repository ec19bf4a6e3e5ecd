"""Key populations (重点人群): the most sensitive data in the system.

Every personal field is encrypted at rest; lists show masks only. Seeing a value in full is a
*reveal*: it needs a reason and is logged (who, when, why, which field) in
:class:`KeyPersonReveal`, which the center's director reads. Each person has a visit plan
(cadence on the working-day calendar, the next due date), visit records, a risk level, and
alerts when a visit is missed (a reminder to the worker, then automatic supervision to the
township center's director).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import crypto
from fengqiao.grid.choices import AlertLevel, KeyCategory, KeyRisk, VisitEvery
from fengqiao.regions.models import Grid

ENCRYPTED_FIELDS = ("name", "id_number", "phone", "address", "note")


class KeyPerson(models.Model):
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, editable=False)
    category = models.CharField(_("类别"), max_length=24, choices=KeyCategory.choices)
    name_enc = models.TextField(_("姓名（加密）"))
    name_mask = models.CharField(_("姓名"), max_length=64)
    id_number_enc = models.TextField(_("身份证号（加密）"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_mask = models.CharField(_("身份证号"), max_length=24, blank=True)
    phone_enc = models.TextField(_("联系电话（加密）"), blank=True)
    phone_mask = models.CharField(_("联系电话"), max_length=20, blank=True)
    address_enc = models.TextField(_("住址（加密）"), blank=True)
    note_enc = models.TextField(_("管控情况（加密）"), blank=True)
    risk = models.CharField(_("风险等级"), max_length=8, choices=KeyRisk.choices)
    visit_every = models.CharField(_("走访频次"), max_length=8, choices=VisitEvery.choices)
    next_visit_due = models.DateField(_("下次走访截止"), db_index=True)
    last_visited_on = models.DateField(_("最近走访"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任网格员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="key_people",
    )
    is_active = models.BooleanField(_("在管"), default=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点人员")
        verbose_name_plural = _("重点人员")
        ordering = ["next_visit_due", "id"]
        indexes = [
            models.Index(fields=["region_path", "next_visit_due"], name="keyperson_path_due"),
            models.Index(fields=["is_active", "next_visit_due"], name="keyperson_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="keyperson_unique_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name_mask}（{self.get_category_display()}）"

    def save(self, *args, **kwargs) -> None:
        self.region_path = self.grid.region_path
        super().save(*args, **kwargs)

    def set_values(self, **values: str) -> None:
        for name, value in values.items():
            if name == "name":
                self.name_enc = crypto.encrypt(value)
                self.name_mask = crypto.mask_name(value)
            elif name == "id_number":
                value = crypto.normalize_id_number(value)
                self.id_number_enc = crypto.encrypt(value)
                self.id_number_hash = crypto.id_number_hash(value)
                self.id_number_mask = crypto.mask_id_number(value)
            elif name == "phone":
                self.phone_enc = crypto.encrypt(crypto.normalize_phone(value))
                self.phone_mask = crypto.mask_phone(value) if value else ""
            elif name in ("address", "note"):
                setattr(self, f"{name}_enc", crypto.encrypt(value))

    def plain(self, name: str) -> str:
        """The decrypted value of one field (only through a logged reveal)."""
        return crypto.decrypt(getattr(self, f"{name}_enc"))


class KeyPersonReveal(models.Model):
    """A logged reveal of a key person's data: who, when, why, which field."""

    person = models.ForeignKey(
        KeyPerson, verbose_name=_("重点人员"), on_delete=models.CASCADE, related_name="reveals"
    )
    region_path = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT
    )
    fields = models.JSONField(_("查看内容"), default=list)
    reason = models.CharField(_("查看事由"), max_length=200)
    created_at = models.DateTimeField(_("查看时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点人员信息查看记录")
        verbose_name_plural = _("重点人员信息查看记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region_path", "-created_at"], name="reveal_path_time")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class KeyPersonVisit(models.Model):
    person = models.ForeignKey(
        KeyPerson, verbose_name=_("重点人员"), on_delete=models.CASCADE, related_name="visits"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.PROTECT
    )
    visited_on = models.DateField(_("走访日期"))
    due_on = models.DateField(_("应访日期"))
    findings_enc = models.TextField(_("走访情况（加密）"))
    risk_after = models.CharField(_("走访后风险"), max_length=8, choices=KeyRisk.choices)
    was_late = models.BooleanField(_("逾期走访"), default=False)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.visited_on}"

    @property
    def findings(self) -> str:
        return crypto.decrypt(self.findings_enc)


class VisitAlert(models.Model):
    """A missed visit: a reminder to the worker, then automatic supervision (one per level
    and due date)."""

    person = models.ForeignKey(
        KeyPerson, verbose_name=_("重点人员"), on_delete=models.CASCADE, related_name="alerts"
    )
    region_path = models.CharField(max_length=80)
    level = models.CharField(_("级别"), max_length=16, choices=AlertLevel.choices)
    due_on = models.DateField(_("应访日期"))
    created_at = models.DateTimeField(_("产生时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("走访逾期预警")
        verbose_name_plural = _("走访逾期预警")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "level", "due_on"], name="visitalert_once")
        ]
        indexes = [models.Index(fields=["region_path", "resolved_at"], name="visitalert_path")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.level} {self.due_on}"
