"""Base data of a grid (人、地、物、事、组织): residents, houses, organizations, places.

Each row belongs to one grid and carries the grid's region path, so that "the residents of
this township" is one range scan on an index. ID and phone numbers are encrypted, with a
keyed hash beside them for exact search and the duplicate check, and a mask for display.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import crypto
from fengqiao.grid.choices import HouseUse, IdType, OrgKind, PlaceKind, ResidentKind
from fengqiao.regions.models import Grid


class GridOwned(models.Model):
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT)
    region_path = models.CharField(max_length=80, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.region_path = self.grid.region_path
        super().save(*args, **kwargs)


class House(GridOwned):
    """A house or flat (实有房屋)."""

    address = models.CharField(_("地址"), max_length=200)
    use = models.CharField(
        _("用途"), max_length=16, choices=HouseUse.choices, default=HouseUse.SELF
    )
    owner_name = models.CharField(_("产权人"), max_length=64, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        ordering = ["address"]
        indexes = [models.Index(fields=["region_path", "address"], name="house_path")]
        constraints = [
            models.UniqueConstraint(fields=["grid", "address"], name="house_unique_address")
        ]

    def __str__(self) -> str:
        return self.address


class Resident(GridOwned):
    """A resident (实有人口): registered (户籍), floating (流动) or overseas (境外)."""

    name = models.CharField(_("姓名"), max_length=64)
    kind = models.CharField(_("人口类型"), max_length=16, choices=ResidentKind.choices)
    id_type = models.CharField(
        _("证件类型"), max_length=16, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number_enc = models.TextField(_("证件号码（加密）"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_mask = models.CharField(_("证件号码"), max_length=24, blank=True)
    phone_enc = models.TextField(_("联系电话（加密）"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_mask = models.CharField(_("联系电话"), max_length=20, blank=True)
    gender = models.CharField(_("性别"), max_length=4, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    household_no = models.CharField(_("户号"), max_length=32, blank=True)
    relation = models.CharField(_("与户主关系"), max_length=16, blank=True)
    house = models.ForeignKey(
        House, verbose_name=_("居住房屋"), null=True, blank=True, on_delete=models.SET_NULL
    )
    address = models.CharField(_("现住址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("实有人口")
        verbose_name_plural = _("实有人口")
        ordering = ["region_path", "household_no", "id"]
        indexes = [
            models.Index(fields=["region_path", "id"], name="resident_path"),
            models.Index(fields=["id_number_hash"], name="resident_id_hash"),
            models.Index(fields=["phone_hash"], name="resident_phone_hash"),
            models.Index(fields=["grid", "household_no"], name="resident_household"),
        ]
        constraints = [
            # One person is registered once in the whole system (a duplicate is refused).
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="resident_unique_id",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def set_id_number(self, value: str) -> None:
        value = crypto.normalize_id_number(value)
        self.id_number_enc = crypto.encrypt(value)
        self.id_number_hash = crypto.keyed_hash(value, kind=f"id:{self.id_type}")
        self.id_number_mask = crypto.mask_id_number(value)

    def set_phone(self, value: str) -> None:
        self.phone_enc = crypto.encrypt(crypto.normalize_phone(value))
        self.phone_hash = crypto.phone_hash(value)
        self.phone_mask = crypto.mask_phone(value) if value else ""


class Organization(GridOwned):
    """A non-public economic organization (非公经济组织) or a social organization (社会组织)."""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact = models.CharField(_("负责人"), max_length=64, blank=True)
    phone_enc = models.TextField(_("联系电话（加密）"), blank=True)
    phone_mask = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), default=0)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["name"]
        indexes = [models.Index(fields=["region_path", "name"], name="org_path")]
        constraints = [models.UniqueConstraint(fields=["grid", "name"], name="org_unique_name")]

    def __str__(self) -> str:
        return self.name

    def set_phone(self, value: str) -> None:
        self.phone_enc = crypto.encrypt(crypto.normalize_phone(value))
        self.phone_mask = crypto.mask_phone(value) if value else ""


class Place(GridOwned):
    """A key place (重点场所): school surroundings, markets, hazardous-goods sites…"""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=PlaceKind.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    contact = models.CharField(_("负责人"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("重点场所")
        verbose_name_plural = _("重点场所")
        ordering = ["name"]
        indexes = [models.Index(fields=["region_path", "name"], name="place_path")]
        constraints = [models.UniqueConstraint(fields=["grid", "name"], name="place_unique_name")]

    def __str__(self) -> str:
        return self.name
