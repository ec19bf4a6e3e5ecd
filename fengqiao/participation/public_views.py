"""Citizen pages of participation (portal style, phone first): sign in with an SMS code,
link to a village and grid, report a clue, see points, take part in the 议事厅, read notices,
answer surveys. The signed-in resident is kept in the session (``RESIDENT``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fengqiao.cases import tracking
from fengqiao.core.errors import DomainError
from fengqiao.org.region_picker import region_picker
from fengqiao.participation import selectors
from fengqiao.participation.choices import ClueKind, TopicStatus, VoteChoice
from fengqiao.participation.models import Citizen, NoticeDelivery, Survey, Topic
from fengqiao.participation.services import clues, creation, deliberation, identity, notices
from fengqiao.regions.models import Grid, Level

RESIDENT = "participation_resident"
PHONE = "participation_phone"


def current_resident(request: HttpRequest) -> Citizen | None:
    pk = request.session.get(RESIDENT)
    if not pk:
        return None
    return Citizen.objects.select_related("region", "grid").filter(pk=pk).first()


def resident_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        resident = current_resident(request)
        if resident is None:
            return redirect(f"{_url('login')}?next={request.path}")
        request.resident = resident
        return view(request, *args, **kwargs)

    return wrapper


def _url(name: str) -> str:
    return reverse(f"participation_public:{name}")


def _safe_next(value: str) -> str:
    return value if value.startswith("/p/participation/") else _url("home")


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Phone, then the SMS code: two steps on one page."""
    phone = request.POST.get("phone", request.session.get(PHONE, "")).strip()
    context: dict[str, Any] = {"phone": phone, "next": request.GET.get("next", "")}
    if request.method == "POST":
        try:
            if "send" in request.POST:
                row = identity.request_code(phone=phone, ip=tracking.client_address(request.META))
                request.session[PHONE] = phone
                context["sent"] = True
                context["debug_code"] = getattr(row, "debug_code", "")
            else:
                resident = identity.verify_code(phone=phone, code=request.POST.get("code", ""))
                request.session.cycle_key()
                request.session[RESIDENT] = resident.pk
                request.session.pop(PHONE, None)
                if resident.region_id is None:
                    return redirect("participation_public:place")
                return redirect(_safe_next(request.POST.get("next", "")))
        except DomainError as error:
            context["error"] = str(error.message)
            context["sent"] = "send" not in request.POST
            status = 429 if error.http_status == 429 else 200
            return render(request, "participation/public/login.html", context, status=status)
    return render(request, "participation/public/login.html", context)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    request.session.pop(RESIDENT, None)
    return redirect("participation_public:home")


def home(request: HttpRequest) -> HttpResponse:
    resident = current_resident(request)
    if resident is None:
        return render(request, "participation/public/welcome.html", {})
    deliveries = list(selectors.inbox(resident)[:20])
    return render(
        request,
        "participation/public/home.html",
        {
            "resident": resident,
            "balance": selectors.balance(resident),
            "deliveries": deliveries,
            "unread": sum(1 for d in deliveries if d.read_at is None),
            "topics": selectors.topics_for(resident, resident.region)
            .exclude(status=TopicStatus.CLOSED)
            .order_by("-created_at")[:5],
            "surveys": selectors.open_surveys(resident)[:5],
        },
    )


@require_http_methods(["GET", "POST"])
@resident_required
def place(request: HttpRequest) -> HttpResponse:
    resident = request.resident
    data = request.POST if request.method == "POST" else request.GET
    values = {k: data.get(k, "") for k in ("county", "township", "village")}
    if not any(values.values()) and resident.region is not None:
        codes = resident.region.ancestor_codes
        values = {"county": codes[-3], "township": codes[-2], "village": codes[-1]}
    picker = region_picker(values)
    region = picker.region if picker.region and picker.region.level == Level.VILLAGE else None
    grids = (
        list(Grid.objects.filter(region=region, is_active=True).order_by("code")) if region else []
    )
    error = ""
    if request.method == "POST" and "save" in request.POST:
        grid = next((g for g in grids if g.code == request.POST.get("grid")), None)
        try:
            identity.set_place(
                resident=resident,
                region=region,
                grid=grid,
                nickname=request.POST.get("nickname", ""),
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("已保存您所在的村（社区）。"))
            return redirect("participation_public:home")
    return render(
        request,
        "participation/public/place.html",
        {"resident": resident, "picker": picker, "grids": grids, "error": error, "region": region},
    )


@require_http_methods(["GET", "POST"])
@resident_required
def report(request: HttpRequest) -> HttpResponse:
    resident = request.resident
    if resident.region is None:
        return redirect("participation_public:place")
    grids = list(Grid.objects.filter(region=resident.region, is_active=True).order_by("code"))
    context: dict[str, Any] = {
        "resident": resident,
        "grids": grids,
        "kinds": ClueKind.choices,
        "values": request.POST,
    }
    if request.method == "POST":
        grid = next((g for g in grids if g.code == request.POST.get("grid")), resident.grid)
        try:
            clue = clues.submit_clue(
                resident=resident,
                kind=request.POST.get("kind", ""),
                text=request.POST.get("text", ""),
                region=resident.region,
                grid=grid,
                photo=request.FILES.get("photo"),
                latitude=request.POST.get("latitude"),
                longitude=request.POST.get("longitude"),
                address=request.POST.get("address", ""),
                anonymous=request.POST.get("anonymous") == "1",
            )
        except DomainError as exc:
            context["error"] = str(exc.message)
            return render(
                request,
                "participation/public/report.html",
                context,
                status=429 if exc.http_status == 429 else 200,
            )
        if clue.anonymous:
            messages.success(request, _("线索已匿名提交，感谢您的参与。匿名线索不计积分。"))
        else:
            messages.success(request, _("线索已提交，审核采纳后将获得平安积分。"))
        return redirect("participation_public:points")
    return render(request, "participation/public/report.html", context)


@resident_required
def my_points(request: HttpRequest) -> HttpResponse:
    resident = request.resident
    return render(
        request,
        "participation/public/points.html",
        {
            "resident": resident,
            "balance": selectors.balance(resident),
            "entries": selectors.ledger(resident)[:50],
            "clues": resident.clues.order_by("-created_at")[:20],
        },
    )


@resident_required
def topics(request: HttpRequest) -> HttpResponse:
    resident = request.resident
    return render(
        request,
        "participation/public/topics.html",
        {"resident": resident, "topics": selectors.topics_for(resident, resident.region)[:50]},
    )


@require_http_methods(["GET", "POST"])
@resident_required
def topic(request: HttpRequest, pk: int) -> HttpResponse:
    resident = request.resident
    item = get_object_or_404(
        Topic.objects.select_related("region", "center"), pk=pk, region=resident.region
    )
    if request.method == "POST":
        try:
            if "vote" in request.POST:
                deliberation.vote(
                    resident=resident, topic=item, choice=request.POST.get("vote", "")
                )
                messages.success(request, _("您的表决已记录。"))
            else:
                deliberation.comment(
                    resident=resident, topic=item, text=request.POST.get("text", "")
                )
                messages.success(request, _("您的意见已发表。"))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("participation_public:topic", pk=item.pk)
    my_vote = item.votes.filter(resident=resident).first()
    return render(
        request,
        "participation/public/topic.html",
        {
            "resident": resident,
            "topic": item,
            "comments": selectors.public_comments(item),
            "tally": selectors.tally(item),
            "my_vote": my_vote,
            "choices": VoteChoice.choices,
        },
    )


@resident_required
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(
        NoticeDelivery.objects.select_related("notice", "notice__center"),
        notice_id=pk,
        resident=request.resident,
    )
    notices.mark_read(resident=request.resident, notice=delivery.notice)
    return render(request, "participation/public/notice.html", {"notice": delivery.notice})


@require_http_methods(["GET", "POST"])
@resident_required
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    item: Survey = get_object_or_404(Survey, pk=pk)
    error = ""
    if request.method == "POST":
        answers = [request.POST.get(f"q{i}") for i in range(len(item.questions))]
        if any(a not in ("1", "0") for a in answers):
            error = _("请回答每一道题。")
        else:
            try:
                creation.answer_survey(
                    resident=request.resident, survey=item, answers=[a == "1" for a in answers]
                )
            except DomainError as exc:
                error = str(exc.message)
            else:
                messages.success(request, _("感谢您参与调查！"))
                return redirect("participation_public:home")
    return render(
        request,
        "participation/public/survey.html",
        {"survey": item, "error": error, "questions": list(enumerate(item.questions))},
    )
