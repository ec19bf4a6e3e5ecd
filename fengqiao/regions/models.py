"""Administrative divisions (province → city → county → township → village), their
boundaries, and grids.

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


class BoundarySource(models.TextChoices):
    OFFICIAL = "official", _("官方数据")
    IMPORTED = "imported", _("导入")
    DRAWN = "drawn", _("手工绘制")
    SYNTHETIC = "synthetic", _("合成（演示用）")


class BoundaryBox(models.Model):
    """The bounding box of a stored GeoJSON boundary, in plain columns: "which boundaries could
    hold this point" is then a range on an index before any geometry is read."""

    min_lon = models.FloatField(_("最小经度"), null=True, blank=True, editable=False)
    min_lat = models.FloatField(_("最小纬度"), null=True, blank=True, editable=False)
    max_lon = models.FloatField(_("最大经度"), null=True, blank=True, editable=False)
    max_lat = models.FloatField(_("最大纬度"), null=True, blank=True, editable=False)
    area_km2 = models.FloatField(_("面积（平方公里）"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def set_box(self, box: tuple[float, float, float, float] | None, area: float | None) -> None:
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = box or (None,) * 4
        self.area_km2 = area


class RegionBoundary(BoundaryBox):
    """The boundary of one region (county, township, village…) as a GeoJSON geometry.

    ``geometry`` is a GeoJSON ``Polygon`` or ``MultiPolygon`` in WGS 84 longitude/latitude,
    checked when stored (:func:`fengqiao.regions.services.set_boundary`): valid, inside its
    parent's boundary where the parent has one, overlapping no sibling's. ``source`` says
    where it came from; the demo county's are synthetic (see docs/grid.md). Read them per
    parent as a FeatureCollection with :func:`fengqiao.regions.selectors.child_boundaries`.
    """

    region = models.OneToOneField(
        Region,
        verbose_name=_("区划"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="boundary",
    )
    geometry = models.JSONField(_("边界（GeoJSON）"))
    source = models.CharField(
        _("来源"), max_length=16, choices=BoundarySource.choices, default=BoundarySource.IMPORTED
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("区划边界")
        verbose_name_plural = _("区划边界")
        indexes = [models.Index(fields=["min_lon", "min_lat"], name="region_boundary_box")]

    def __str__(self) -> str:
        return str(self.region)


class Grid(BoundaryBox):
    """A grid (网格) inside a village or community; its code extends the village's code.

    The code is the village's 12 digits and a three-digit sequence (``420923100001001``).
    ``boundary`` is a GeoJSON polygon like :class:`RegionBoundary`'s, checked when stored by
    ``fengqiao.grid.services`` (inside the village, no overlap with sibling grids). Workers,
    base data and field reports live in the ``grid`` app and point here.
    """

    code = models.CharField(_("网格编码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    region = models.ForeignKey(
        Region, verbose_name=_("所属村/社区"), on_delete=models.PROTECT, related_name="grids"
    )
    # Denormalized from the region, so that "the grids of a township" is one range scan.
    region_path = models.CharField(_("区划路径"), max_length=80, editable=False, default="")
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    boundary_source = models.CharField(
        _("边界来源"), max_length=16, choices=BoundarySource.choices, blank=True
    )
    party_branch = models.CharField(
        _("网格党组织"), max_length=100, blank=True, help_text=_("党建+网格：网格党支部或党小组")
    )
    party_secretary = models.CharField(_("党组织书记"), max_length=32, blank=True)
    description = models.CharField(_("范围说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["min_lon", "min_lat"], name="grid_box"),
            # A region's grids in code order (path order is code order): one range scan
            # that a LIMIT stops early, however many grids the region has.
            models.Index(fields=["region_path", "code"], name="grid_path_code"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name}{self.name}"

    def save(self, *args, **kwargs) -> None:
        self.region_path = self.region.path
        super().save(*args, **kwargs)
