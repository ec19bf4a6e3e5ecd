"""Key populations' pages: the masked list, one person (reveal with a reason, visits), the
reveal log the director reads, open alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.core.errors import DomainError, NotFound
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import KeyCategory, KeyRisk, VisitEvery
from fengqiao.grid.models.keypop import ENCRYPTED_FIELDS
from fengqiao.grid.services import keypop as services
from fengqiao.grid.services.keypop import FIELD_LABELS
from fengqiao.regions.models import Grid


def _require(request: HttpRequest) -> None:
    if not sel.may_see_key_people(request.user):
        raise Http404


@login_required
def key_people(request: HttpRequest) -> HttpResponse:
    _require(request)
    qs = sel.visible_key_people(request.user).select_related("grid__region", "responsible")
    category = request.GET.get("category", "")
    if category in KeyCategory.values:
        qs = qs.filter(category=category)
    if request.GET.get("overdue") == "1":
        qs = qs.filter(next_visit_due__lt=timezone.localdate())
    page = Paginator(qs.order_by("next_visit_due", "id"), 50).get_page(request.GET.get("page"))
    grids = (
        Grid.objects.filter(pk__in=sel.own_grid_ids(request.user))
        if sel.is_grid_worker(request.user)
        else []
    )
    return render(
        request,
        "grid/key_people.html",
        {
            "page": page,
            "categories": KeyCategory.choices,
            "category": category,
            "overdue": request.GET.get("overdue") == "1",
            "today": timezone.localdate(),
            "alerts": sel.open_alerts(request.user)[:20],
            "is_director": bool(sel.director_paths(request.user)),
            "grids": grids,
            "risks": KeyRisk.choices,
            "cadences": VisitEvery.choices,
        },
    )


def _person(request: HttpRequest, person_id: int):
    try:
        return services.get_person(request.user, person_id)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


@login_required
def key_person(request: HttpRequest, person_id: int) -> HttpResponse:
    _require(request)
    person = _person(request, person_id)
    revealed: dict[str, str] = {}
    if request.method == "POST":
        try:
            revealed = services.reveal(
                actor=request.user,
                person=person,
                fields=request.POST.getlist("fields"),
                reason=request.POST.get("reason", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "grid/key_person.html",
        {
            "person": person,
            "revealed": {FIELD_LABELS[k]: v for k, v in revealed.items()},
            "fields": [(f, FIELD_LABELS[f]) for f in ENCRYPTED_FIELDS],
            "visits": person.visits.select_related("visitor")[:20],
            "risks": KeyRisk.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def key_person_visit(request: HttpRequest, person_id: int) -> HttpResponse:
    _require(request)
    person = _person(request, person_id)
    try:
        result = services.record_visit(
            actor=request.user,
            person=person,
            visited_on=parse_date(request.POST.get("visited_on", "")[:10]) or timezone.localdate(),
            findings=request.POST.get("findings", ""),
            risk_after=request.POST.get("risk_after", person.risk),
        )
        messages.success(
            request, _("走访已记录，下次走访截止%(due)s。") % {"due": result.next_due.isoformat()}
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("grid:key_person", person_id=person.pk)


@login_required
@require_POST
def key_person_create(request: HttpRequest) -> HttpResponse:
    _require(request)
    grid = sel.visible_grids(request.user).filter(code=request.POST.get("grid", "")[:16]).first()
    if grid is None:
        messages.error(request, _("网格不存在或您无权查看。"))
        return redirect("grid:key_people")
    try:
        person = services.register_key_person(
            actor=request.user,
            grid=grid,
            category=request.POST.get("category", ""),
            name=request.POST.get("name", ""),
            risk=request.POST.get("risk", ""),
            id_number=request.POST.get("id_number", ""),
            phone=request.POST.get("phone", ""),
            address=request.POST.get("address", ""),
            note=request.POST.get("note", ""),
            visit_every=request.POST.get("visit_every", ""),
            responsible=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("grid:key_people")
    messages.success(request, _("已登记。"))
    return redirect("grid:key_person", person_id=person.pk)


@login_required
def reveal_log(request: HttpRequest) -> HttpResponse:
    if not sel.director_paths(request.user):
        raise Http404
    page = Paginator(sel.reveal_log(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "grid/reveal_log.html", {"page": page, "labels": FIELD_LABELS})
