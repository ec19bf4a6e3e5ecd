"""Administrative divisions (province → city → county → township → village) and grids.

Each region keeps a materialized path of its ancestors' codes, so that a subtree is one
range scan on an index (``path >= P AND path < P + '~'``) and the ancestors are the codes in
its own path: no recursion in Python, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

PATH_SEP = "."
PATH_END = "~"  # sorts after every digit and the separator


class Level(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    CITY = 2, _("市级")
    COUNTY = 3, _("县级")
    TOWNSHIP = 4, _("乡镇级")
    VILLAGE = 5, _("村级")


class RegionQuerySet(models.QuerySet):
    def subtree(self, region: Region | str, *, include_self: bool = True) -> RegionQuerySet:
        path = region.path if isinstance(region, Region) else region
        qs = self.filter(path__gte=path, path__lt=path + PATH_END)
        if not include_self:
            qs = qs.exclude(path=path)
        return qs


class Region(models.Model):
    """One official division, keyed by its national code (6, 9 or 12 digits)."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=80, unique=True)
    county_code = models.CharField(
        _("所属县级代码"),
        max_length=6,
        help_text=_("案件编号前六位：县级及以上为本级代码，乡村为所在县的代码"),
    )
    full_name = models.CharField(_("全称"), max_length=200, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split(PATH_SEP) if c]

    def ancestors(self, *, include_self: bool = False) -> RegionQuerySet:
        codes = self.ancestor_codes
        if not include_self:
            codes = codes[:-1]
        return Region.objects.filter(code__in=codes).order_by("level")

    def subtree(self, *, include_self: bool = True) -> RegionQuerySet:
        return Region.objects.subtree(self, include_self=include_self)

    def is_within(self, other: Region) -> bool:
        return self.path.startswith(other.path)


def build_path(parent_path: str, code: str) -> str:
    return f"{parent_path}{code}{PATH_SEP}"


class Grid(models.Model):
    """A grid (网格) inside a village or community; its code extends the village's code."""

    code = models.CharField(_("网格编码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    region = models.ForeignKey(
        Region, verbose_name=_("所属村/社区"), on_delete=models.PROTECT, related_name="grids"
    )
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.region.name}{self.name}"
