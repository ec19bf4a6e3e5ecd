"""Staff pages of the integrations: partners, risk signals, webhooks and deliveries
(dead letters with replay), imports (template, dry run report, progress), export of a
filtered case list, cameras. Thin: parse, call a service or a selector, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.core.errors import DomainError
from fengqiao.integrations import selectors as sel
from fengqiao.integrations.choices import DeliveryStatus, ImportStatus, RowStatus
from fengqiao.integrations.forms import (
    CameraForm,
    CitationForm,
    ImportForm,
    PartnerForm,
    SubscriptionForm,
)
from fengqiao.integrations.models import Camera
from fengqiao.integrations.services import cameras as camera_services
from fengqiao.integrations.services import exports, imports, webhooks
from fengqiao.integrations.services import partners as partner_services
from fengqiao.integrations.tasks import deliver_task, run_import_task
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit
from fengqiao.org.selectors import active_memberships, membership_of
from fengqiao.regions.models import Region
from fengqiao.workbench import selectors as wsel
from fengqiao.workbench.forms import CaseFilterForm
from fengqiao.workbench.views.common import case_in_scope, not_found, page_context, staff_required
from fengqiao.workbench.views.lists import case_filter_from

ROW_REPORT_LIMIT = 500


def _denied(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workbench/error.html",
        page_context(
            request, title=_("无权访问"), message=_("只有中心主任和系统管理员可以访问此页面。")
        ),
        status=403,
    )


def _admin(view):
    @staff_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sel.may_admin_integrations(request.user):
            return _denied(request)
        return view(request, *args, **kwargs)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _importer(view):
    @staff_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sel.may_import(request.user):
            return _denied(request)
        return view(request, *args, **kwargs)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return page_context(
        request,
        may_admin=sel.may_admin_integrations(request.user),
        may_import=sel.may_import(request.user),
        **extra,
    )


def _centers(request: HttpRequest) -> list[Unit]:
    qs = Unit.objects.filter(kind=UnitKind.CENTER, is_active=True).order_by("region_path")
    paths = sel.managed_region_paths(request.user)
    if paths is None:
        return list(qs[:500])
    return [u for u in qs[:2000] if any(u.region_path.startswith(p) for p in paths)]


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    if not sel.may_use_integrations(request.user):
        return _denied(request)
    user = request.user
    counts = {
        "partners": sel.partners_for(user).count(),
        "signals": sel.signals_for(user).count(),
        "subscriptions": sel.subscriptions_for(user).count(),
        "dead": sel.deliveries_for(user, status=DeliveryStatus.DEAD).count(),
        "pending": sel.deliveries_for(user, status=DeliveryStatus.PENDING).count(),
        "imports": sel.import_jobs_for(user).count(),
        "cameras": sel.cameras_for(user).count(),
    }
    return render(request, "integrations/home.html", _ctx(request, counts=counts))


@_admin
def partners(request: HttpRequest) -> HttpResponse:
    centers = _centers(request)
    form = PartnerForm(request.POST or None)
    form.fields["center"].choices = [(u.pk, str(u)) for u in centers]
    credentials = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            credentials = partner_services.create_partner(
                code=d["code"],
                name=d["name"],
                kind=d["kind"],
                center=Unit.objects.get(pk=d["center"]),
                callback_url=d["callback_url"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("已创建对接系统，请立即保存密钥和签名密钥（只显示这一次）。")
            )
            form = PartnerForm()
            form.fields["center"].choices = [(u.pk, str(u)) for u in centers]
    rows = sel.partners_for(request.user).annotate(n_transfers=Count("transfers"))
    return render(
        request,
        "integrations/partners.html",
        _ctx(request, form=form, partners=rows, credentials=credentials),
    )


@_admin
def signals(request: HttpRequest) -> HttpResponse:
    rows = sel.signals_for(request.user)[:200]
    return render(request, "integrations/signals.html", _ctx(request, signals=rows))


@_admin
def webhooks_page(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None)
    units = [(None, _("全部单位"))] + [(u.pk, str(u)) for u in _centers(request)]
    form.fields["unit"].choices = units
    secret = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        region = Region.objects.filter(code=d["region"]).first() if d["region"] else None
        if d["region"] and region is None:
            form.add_error("region", _("区划“%(code)s”不存在。") % {"code": d["region"]})
        else:
            try:
                _sub, secret = webhooks.create_subscription(
                    name=d["name"],
                    url=d["url"],
                    actor=request.user,
                    unit=Unit.objects.filter(pk=d["unit"]).first() if d["unit"] else None,
                    region=region,
                    actions=d["actions"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("已添加订阅，签名密钥见下方（只显示这一次）。"))
                form = SubscriptionForm()
                form.fields["unit"].choices = units
    subs = sel.subscriptions_for(request.user).annotate(n=Count("deliveries"))
    return render(
        request, "integrations/webhooks.html", _ctx(request, form=form, subs=subs, secret=secret)
    )


@_admin
def deliveries(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", DeliveryStatus.DEAD)
    rows = sel.deliveries_for(request.user, status=status)[:200]
    return render(
        request,
        "integrations/deliveries.html",
        _ctx(request, rows=rows, status=status, statuses=DeliveryStatus.choices),
    )


@_admin
@require_POST
def replay(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(sel.deliveries_for(request.user), pk=pk)
    webhooks.replay(delivery)
    deliver_task.enqueue(delivery.pk)
    messages.success(request, _("已重新投递。"))
    return redirect(f"{request.path.rsplit('/', 3)[0]}/?status={DeliveryStatus.DEAD}")


@_importer
def imports_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    membership = membership_of(request)
    if request.method == "POST" and form.is_valid():
        center = _import_center(request)
        if center is None:
            form.add_error(None, _("请切换到综治中心的受理角色后再导入。"))
        else:
            upload = form.cleaned_data["file"]
            try:
                job = imports.check_file(
                    name=upload.name,
                    content=upload.read(),
                    center=center,
                    actor=request.user,
                    membership=membership,
                )
            except DomainError as exc:
                form.add_error("file", str(exc.message))
            else:
                return redirect("integrations:import_job", pk=job.pk)
    jobs = sel.import_jobs_for(request.user)[:50]
    return render(request, "integrations/imports.html", _ctx(request, form=form, jobs=jobs))


def _import_center(request: HttpRequest) -> Unit | None:
    membership = membership_of(request)
    if membership is not None and membership.unit.kind == UnitKind.CENTER:
        return membership.unit
    for m in active_memberships(request.user):
        if m.unit.kind == UnitKind.CENTER and m.role in sel.IMPORT_ROLES:
            return m.unit
    return None


@_importer
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        imports.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="fengqiao-import-template.xlsx"'
    return response


@_importer
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(sel.import_jobs_for(request.user), pk=pk)
    bad = job.rows.filter(status__in=[RowStatus.INVALID, RowStatus.FAILED])[:ROW_REPORT_LIMIT]
    ctx = _ctx(request, job=job, bad_rows=bad, running=job.status == ImportStatus.RUNNING)
    if request.headers.get("HX-Request"):
        return render(request, "integrations/_import_progress.html", ctx)
    return render(request, "integrations/import_job.html", ctx)


@_importer
@require_POST
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(sel.import_jobs_for(request.user), pk=pk)
    try:
        imports.start_job(job)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        run_import_task.enqueue(job.pk)
        messages.success(request, _("已开始导入，可离开本页，导入在后台进行。"))
    return redirect("integrations:import_job", pk=job.pk)


@staff_required
def export_cases(request: HttpRequest, fmt: str) -> HttpResponse:
    """The case list's filters (same parameters as /cases/), as CSV or Excel, masked."""
    if fmt not in ("csv", "xlsx"):
        return not_found(request)
    membership = membership_of(request)
    form = CaseFilterForm(request.GET or None, category_choices=wsel.category_choices())
    f = case_filter_from(request, form, request.GET.get("list", ""))
    qs = wsel.filter_cases(request.user, membership, f)
    query = urlencode({k: v for k, v in request.GET.items() if v})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    rows = exports.Counter(exports.rows(qs))
    if fmt == "xlsx":
        content = exports.to_xlsx(rows)
        exports.log_export(request.user, query=query, fmt=fmt, count=rows.count)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        data = list(exports.to_csv(rows))
        exports.log_export(request.user, query=query, fmt=fmt, count=rows.count)
        response = StreamingHttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.{fmt}"'
    return response


@staff_required
def cameras(request: HttpRequest) -> HttpResponse:
    form = CameraForm(request.POST or None)
    center = _import_center(request) or next(
        (m.unit for m in active_memberships(request.user) if m.unit.kind == UnitKind.CENTER), None
    )
    can_add = sel.may_admin_integrations(request.user) and center is not None
    if request.method == "POST" and can_add and form.is_valid():
        d = form.cleaned_data
        region = Region.objects.filter(code=d["region"]).first()
        if region is None:
            form.add_error("region", _("区划“%(code)s”不存在。") % {"code": d["region"]})
        else:
            try:
                camera_services.register_camera(
                    code=d["code"],
                    name=d["name"],
                    center=center,
                    region=region,
                    place=d["place"],
                    platform_ref=d["platform_ref"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("已登记视频点位。"))
                return redirect("integrations:cameras")
    rows = sel.cameras_for(request.user).annotate(n=Count("cameracitation"))[:300]
    return render(
        request, "integrations/cameras.html", _ctx(request, form=form, rows=rows, can_add=can_add)
    )


@staff_required
def case_cameras(request: HttpRequest, code: str) -> HttpResponse:
    case = case_in_scope(request, code)
    if case is None:
        return not_found(request)
    form = CitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        camera = sel.cameras_for(request.user).filter(code=d["camera"].strip()).first()
        if camera is None:
            form.add_error("camera", _("设备编号“%(code)s”不存在。") % {"code": d["camera"]})
        else:
            try:
                camera_services.cite_camera(
                    case=case,
                    camera=camera,
                    starts_at=d["starts_at"],
                    ends_at=d["ends_at"],
                    actor=request.user,
                    note=d["note"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("已引用视频点位。"))
                return redirect("integrations:case_cameras", code=case.code)
    citations = case.camera_citations.select_related("camera")
    return render(
        request,
        "integrations/case_cameras.html",
        _ctx(request, case=case, form=form, citations=citations, cameras=Camera.objects.none()),
    )
