"""Helpers of grid management's views."""

from __future__ import annotations

from django.http import Http404, HttpRequest, QueryDict
from django.utils.translation import gettext as _

from fengqiao.core.errors import ValidationFailed
from fengqiao.regions.models import Region

MAX_UPLOAD = 2 * 1024 * 1024


def region_or_404(
    request: HttpRequest, roots: list[Region], *, key: str = "region", data: QueryDict | None = None
) -> Region:
    """The region asked for (``?region=``) if it lies under one of ``roots``, else the
    first root."""
    code = ((data if data is not None else request.GET).get(key) or "").strip()[:12]
    if not code:
        if not roots:
            raise Http404
        return roots[0]
    region = Region.objects.filter(code=code).first()
    if region is None or not (
        request.user.is_superuser or any(region.path.startswith(r.path) for r in roots)
    ):
        raise Http404
    return region


def read_upload_or_text(request: HttpRequest, file_field: str, text_field: str) -> str:
    """GeoJSON from an uploaded file (preferred) or a text field."""
    upload = request.FILES.get(file_field)
    if upload is not None:
        if upload.size > MAX_UPLOAD:
            raise ValidationFailed(_("文件不能超过2MB。"), field=file_field)
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(_("文件不是UTF-8编码的文本。"), field=file_field) from exc
    return request.POST.get(text_field, "")
