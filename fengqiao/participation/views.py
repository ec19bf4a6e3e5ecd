"""Staff pages of participation: the clue review queue, the 议事厅 and meetings, notices,
普法 and 平安创建 with surveys, points rules and rewards. Thin: parse, call a service, show."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from fengqiao.core import crypto
from fengqiao.core.errors import DomainError
from fengqiao.participation import selectors as sel
from fengqiao.participation.choices import (
    ActivityKind,
    ClueStatus,
    MeetingKind,
    TitleKind,
    TopicStatus,
)
from fengqiao.participation.models import (
    CampaignCandidate,
    Citizen,
    Comment,
    PointRule,
    Reward,
)
from fengqiao.participation.services import clues, creation, deliberation, notices, points
from fengqiao.regions.models import Grid, Level, Region


def _guard(request: HttpRequest) -> None:
    if not sel.may_use(request.user):
        raise Http404


def _region(request: HttpRequest, key: str = "region") -> Region | None:
    code = (request.POST.get(key) or "").strip()[:12]
    return Region.objects.filter(code=code).first() if code else None


def _villages(user: Any) -> list[Region]:
    roots = sel.manage_regions(user)
    out: list[Region] = []
    for root in roots:
        out.extend(Region.objects.subtree(root).filter(level=Level.VILLAGE).order_by("code")[:300])
    return out


def _done(request: HttpRequest, call: Any, ok: str) -> bool:
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, ok)
    return True


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _guard(request)
    status = request.GET.get("status", ClueStatus.PENDING)
    qs = sel.visible_clues(request.user)
    if status in ClueStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "participation/index.html",
        {
            "tab": "clues",
            "counts": sel.counts(request.user),
            "clues": qs.order_by("-created_at")[:100],
            "status": status,
            "statuses": ClueStatus.choices,
        },
    )


@login_required
def clue(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    item = get_object_or_404(sel.visible_clues(request.user), pk=pk)
    if request.method == "POST":
        ok = _done(
            request,
            lambda: clues.review_clue(
                actor=request.user,
                clue=item,
                decision=request.POST.get("decision", ""),
                note=request.POST.get("note", ""),
            ),
            _("审核结果已保存。"),
        )
        if ok:
            return redirect("participation:clue", pk=item.pk)
    return render(
        request,
        "participation/clue.html",
        {"tab": "clues", "clue": item, "may_review": sel.may_review(request.user, item)},
    )


@login_required
def topics(request: HttpRequest) -> HttpResponse:
    _guard(request)
    if request.method == "POST":
        holder: dict[str, Any] = {}

        def go() -> None:
            holder["topic"] = deliberation.open_topic(
                actor=request.user,
                region=_region(request),
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
            )

        if _done(request, go, _("议题已发布到议事厅。")):
            return redirect("participation:topic", pk=holder["topic"].pk)
    return render(
        request,
        "participation/topics.html",
        {
            "tab": "topics",
            "topics": sel.visible_topics(request.user)[:100],
            "villages": _villages(request.user),
        },
    )


def _topic_post(request: HttpRequest, item: Any) -> None:
    action = request.POST.get("action", "")
    if action == "advance":
        _done(
            request,
            lambda: deliberation.advance(actor=request.user, topic=item),
            _("议题状态已更新。"),
        )
    elif action == "publish":
        _done(
            request,
            lambda: deliberation.publish_outcome(
                actor=request.user, topic=item, outcome=request.POST.get("outcome", "")
            ),
            _("议事结果已公布。"),
        )
    elif action in ("hide", "show"):
        comment = get_object_or_404(Comment, pk=request.POST.get("comment") or 0, topic=item)
        _done(
            request,
            lambda: deliberation.moderate(
                actor=request.user,
                comment=comment,
                hide=action == "hide",
                reason=request.POST.get("reason", ""),
            ),
            _("已隐藏该意见。") if action == "hide" else _("已恢复显示该意见。"),
        )


@login_required
def topic(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    item = get_object_or_404(sel.visible_topics(request.user), pk=pk)
    if request.method == "POST":
        _topic_post(request, item)
        return redirect("participation:topic", pk=item.pk)
    return render(
        request,
        "participation/topic.html",
        {
            "tab": "topics",
            "topic": item,
            "comments": item.comments.select_related("resident"),
            "tally": sel.tally(item),
            "log": item.log.select_related("actor", "comment"),
            "may_manage": sel.may_manage(request.user, item.region),
            "statuses": TopicStatus,
        },
    )


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    _guard(request)
    if request.method == "POST":
        ok = _done(
            request,
            lambda: deliberation.record_meeting(
                actor=request.user,
                region=_region(request),
                kind=request.POST.get("kind", ""),
                held_on=parse_date(request.POST.get("held_on", "")[:10]) or timezone.localdate(),
                place=request.POST.get("place", ""),
                subject=request.POST.get("subject", ""),
                attendance=request.POST.get("attendance", ""),
                attendees=request.POST.get("attendees", ""),
                outcome=request.POST.get("outcome", ""),
            ),
            _("会议记录已保存。"),
        )
        if ok:
            return redirect("participation:meetings")
    return render(
        request,
        "participation/meetings.html",
        {
            "tab": "meetings",
            "meetings": sel.visible_meetings(request.user)[:100],
            "villages": _villages(request.user),
            "kinds": MeetingKind.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def notices_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    if request.method == "POST":
        region = _region(request)
        grid = Grid.objects.filter(code=request.POST.get("grid", "")[:16]).first()
        ok = _done(
            request,
            lambda: notices.send_notice(
                actor=request.user,
                region=region,
                grid=grid,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                by_sms=request.POST.get("by_sms") == "1",
            ),
            _("通知已推送。"),
        )
        if ok:
            return redirect("participation:notices")
    rows = [(n, notices.read_count(n)) for n in sel.visible_notices(request.user)[:100]]
    villages = _villages(request.user)
    return render(
        request,
        "participation/notices.html",
        {
            "tab": "notices",
            "rows": rows,
            "villages": villages,
            "grids": Grid.objects.filter(region__in=villages, is_active=True).order_by("code")[
                :500
            ],
        },
    )


def _creation_post(request: HttpRequest) -> bool:
    what = request.POST.get("what")
    region = _region(request)
    if what == "activity":
        return _done(
            request,
            lambda: creation.record_activity(
                actor=request.user,
                region=region,
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                held_on=parse_date(request.POST.get("held_on", "")[:10]) or timezone.localdate(),
                place=request.POST.get("place", ""),
                audience=request.POST.get("audience", ""),
                materials=request.POST.get("materials", "") or 0,
                materials_note=request.POST.get("materials_note", ""),
            ),
            _("普法活动已登记。"),
        )
    if what == "campaign":
        return _done(
            request,
            lambda: creation.create_campaign(
                actor=request.user,
                region=region,
                title_kind=request.POST.get("title_kind", ""),
                year=request.POST.get("year", ""),
                criteria=request.POST.get("criteria", ""),
                pass_score=request.POST.get("pass_score", "") or 80,
            ),
            _("创建活动已登记。"),
        )
    if what == "survey":
        return _done(
            request,
            lambda: creation.create_survey(
                actor=request.user,
                region=region,
                title=request.POST.get("title", ""),
                questions=request.POST.get("questions", "").splitlines(),
            ),
            _("调查问卷已发布。"),
        )
    return False


@login_required
def creation_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    if request.method == "POST" and _creation_post(request):
        return redirect("participation:creation")
    surveys = [
        (s, sel.awareness(s), s.responses.count()) for s in sel.visible_surveys(request.user)[:20]
    ]
    return render(
        request,
        "participation/creation.html",
        {
            "tab": "creation",
            "activities": sel.visible_activities(request.user)[:100],
            "campaigns": sel.visible_campaigns(request.user)[:50],
            "surveys": surveys,
            "roots": sel.manage_regions(request.user),
            "villages": _villages(request.user),
            "kinds": ActivityKind.choices,
            "title_kinds": TitleKind.choices,
            "counts": sel.counts(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    item = get_object_or_404(sel.visible_campaigns(request.user), pk=pk)
    if request.method == "POST":
        if request.POST.get("candidate"):
            cand = get_object_or_404(CampaignCandidate, pk=request.POST["candidate"], campaign=item)
            _done(
                request,
                lambda: creation.evaluate(
                    actor=request.user,
                    candidate=cand,
                    score=request.POST.get("score", ""),
                    note=request.POST.get("note", ""),
                ),
                _("评定结果已保存。"),
            )
        else:
            _done(
                request,
                lambda: creation.add_candidate(
                    actor=request.user, campaign=item, name=request.POST.get("name", "")
                ),
                _("参评对象已加入。"),
            )
        return redirect("participation:campaign", pk=item.pk)
    return render(
        request,
        "participation/campaign.html",
        {"tab": "creation", "campaign": item, "candidates": item.candidates.order_by("name")},
    )


def _points_post(request: HttpRequest) -> None:
    if request.POST.get("rule"):
        _done(
            request,
            lambda: points.update_rule(
                actor=request.user,
                code=request.POST["rule"],
                points=int(request.POST.get("points") or 0),
                is_active=request.POST.get("is_active") == "1",
            ),
            _("积分规则已更新。"),
        )
        return
    reward = get_object_or_404(Reward, pk=request.POST.get("reward") or 0)
    phone = crypto.normalize_phone(request.POST.get("phone", ""))
    resident = (
        Citizen.objects.filter(phone_hash=crypto.phone_hash(phone)).first() if phone else None
    )
    if resident is None:
        messages.error(request, _("没有找到该手机号的居民。"))
        return
    _done(
        request,
        lambda: points.redeem(actor=request.user, resident=resident, reward=reward),
        _("已兑换：%(name)s") % {"name": reward.name},
    )


@login_required
def points_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    if request.method == "POST":
        _points_post(request)
        return redirect("participation:points")
    points.ensure_default_rules()
    centers = sel.centers_of(request.user)
    return render(
        request,
        "participation/points.html",
        {
            "tab": "points",
            "rules": PointRule.objects.all(),
            "rewards": Reward.objects.filter(center__in=centers).select_related("center")
            if not request.user.is_superuser
            else Reward.objects.select_related("center"),
        },
    )
