"""排查 campaigns' pages: the list (and launching one), one campaign's progress and findings,
a grid's report, a rectification done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.core.errors import DomainError
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import FindingOutcome
from fengqiao.grid.models import CampaignFinding, CampaignTask
from fengqiao.grid.services import campaigns as services
from fengqiao.grid.views.common import region_or_404

MAX_FINDINGS = 10


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    if not sel.may_use_grid(request.user):
        raise Http404
    roots = sel.home_regions(request.user)
    if request.method == "POST":
        region = region_or_404(request, roots, data=request.POST)
        try:
            campaign = services.launch_campaign(
                actor=request.user,
                region=region,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                due_on=parse_date(request.POST.get("due_on", "")[:10]) or timezone.localdate(),
            )
            messages.success(
                request, _("排查行动已下发到%(n)d个网格。") % {"n": campaign.tasks.count()}
            )
            return redirect("grid:campaign", campaign_id=campaign.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    campaigns = (
        sel.visible_campaigns(request.user)
        .select_related("region", "issuer")
        .order_by("-created_at")[:50]
    )
    my_tasks = (
        CampaignTask.objects.filter(grid_id__in=sel.own_grid_ids(request.user), status="pending")
        .select_related("campaign", "grid")
        .order_by("campaign__due_on")
        if sel.own_grid_ids(request.user)
        else []
    )
    return render(
        request,
        "grid/campaigns.html",
        {
            "campaigns": campaigns,
            "my_tasks": my_tasks,
            "roots": roots,
            "may_launch": bool(roots)
            and any(m.role in services.LAUNCH_ROLES for m in sel.active_memberships(request.user)),
            "today": timezone.localdate(),
        },
    )


@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = (
        sel.visible_campaigns(request.user)
        .select_related("region", "issuer")
        .filter(pk=campaign_id)
        .first()
    )
    if campaign is None:
        raise Http404
    return render(
        request,
        "grid/campaign.html",
        {
            "campaign": campaign,
            "progress": sel.campaign_progress(request.user, campaign),
            "tasks": sel.campaign_tasks(request.user, campaign)[:200],
            "findings": sel.campaign_findings(request.user, campaign)[:200],
            "today": timezone.localdate(),
        },
    )


@login_required
def task_report(request: HttpRequest, task_id: int) -> HttpResponse:
    task = (
        CampaignTask.objects.filter(sel.scope_q(request.user), pk=task_id)
        .select_related("campaign", "grid__region")
        .first()
    )
    if task is None:
        raise Http404
    if request.method == "POST":
        findings = []
        for i in range(MAX_FINDINGS):
            text = request.POST.get(f"text-{i}", "").strip()
            if not text:
                continue
            findings.append(
                services.FindingIn(
                    text=text,
                    outcome=request.POST.get(f"outcome-{i}", FindingOutcome.CASE),
                    rectify_by=parse_date(request.POST.get(f"rectify_by-{i}", "")[:10]),
                )
            )
        try:
            services.report_task(actor=request.user, task=task, findings=findings)
            messages.success(request, _("排查结果已上报。"))
            return redirect("grid:campaign", campaign_id=task.campaign_id)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "grid/campaign_task.html",
        {
            "task": task,
            "slots": range(3),
            "outcomes": FindingOutcome.choices,
            "today": timezone.localdate(),
            "form": request.POST,
        },
    )


@login_required
@require_POST
def finding_done(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = (
        CampaignFinding.objects.filter(
            pk=finding_id,
            task__in=CampaignTask.objects.filter(sel.scope_q(request.user)).values("pk"),
        )
        .select_related("task")
        .first()
    )
    if finding is None:
        raise Http404
    try:
        services.finish_rectification(
            actor=request.user, finding=finding, note=request.POST.get("note", "")
        )
        messages.success(request, _("已标记整改完成。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("grid:campaign", campaign_id=finding.task.campaign_id)
