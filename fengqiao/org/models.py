"""Centers, handling units, staff users and their role memberships."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.org.choices import Residency, Role, UnitKind, UnitType
from fengqiao.regions.models import Level, Region


class User(AbstractUser):
    """A staff user. Citizens have no account: their phone number verifies them."""

    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("工作电话"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Unit(models.Model):
    """A center (综治中心) at some level, or a department/organization that handles cases."""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=16, choices=UnitKind.choices, db_index=True)
    unit_type = models.CharField(
        _("单位类型"), max_length=32, choices=UnitType.choices, default=UnitType.OTHER
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="units"
    )
    center = models.ForeignKey(
        "self",
        verbose_name=_("所属综治中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_units",
        limit_choices_to={"kind": UnitKind.CENTER},
        help_text=_("部门入驻或对接的综治中心"),
    )
    residency = models.CharField(
        _("入驻方式"), max_length=16, choices=Residency.choices, default=Residency.NONE
    )
    rotation_schedule = models.CharField(_("轮驻安排"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # Denormalized from the region, so that scope checks need no join.
    region_path = models.CharField(_("区划路径"), max_length=80, db_index=True, editable=False)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["region_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.region_path = self.region.path
        if self.kind == UnitKind.CENTER:
            self.unit_type = UnitType.CENTER
        super().save(*args, **kwargs)

    @property
    def is_center(self) -> bool:
        return self.kind == UnitKind.CENTER

    @property
    def level(self) -> int:
        return self.region.level

    @property
    def level_label(self) -> str:
        return Level(self.region.level).label


class Membership(models.Model):
    """One role a user holds, scoped to one unit (and through it to a region subtree)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色任职")
        verbose_name_plural = _("角色任职")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
