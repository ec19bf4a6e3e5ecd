"""排查 campaigns: a center sends a topic down to every grid under it; each grid reports what
it found, and each finding becomes a case (channel 网格员上报) or a rectification task with a
deadline, tracked until it is done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import CampaignStatus, FindingOutcome, RectifyStatus, TaskStatus
from fengqiao.grid.models import Campaign, CampaignFinding, CampaignTask, GridWorker
from fengqiao.grid.services.audit import audit
from fengqiao.grid.services.common import clean_text
from fengqiao.grid.services.field import center_for, register_grid_case
from fengqiao.intake.types import AppealIn, PartyIn
from fengqiao.notifications.services import notify
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.org.selectors import active_memberships
from fengqiao.regions.models import PATH_END, Grid, Region

LAUNCH_ROLES = frozenset({Role.DIRECTOR, Role.DISPATCHER, Role.ADMIN})
BATCH = 2000


@dataclass(frozen=True)
class FindingIn:
    text: str
    outcome: str
    rectify_by: dt.date | None = None


def _issuer(actor: User, region: Region) -> Unit:
    for m in active_memberships(actor):
        if (
            m.role in LAUNCH_ROLES
            and m.unit.kind == UnitKind.CENTER
            and region.path.startswith(m.unit.region_path)
        ):
            return m.unit
    raise PermissionDenied(_("您没有在%(region)s发起排查的权限。") % {"region": region.name})


@transaction.atomic
def launch_campaign(
    *, actor: User, region: Region, title: str, description: str, due_on: dt.date
) -> Campaign:
    """Send a campaign to every active grid under ``region``; tell their workers."""
    issuer = _issuer(actor, region)
    title = clean_text(title, _("排查主题"), max_length=120, field="title")
    description = clean_text(
        description, _("排查要求"), max_length=5000, required=False, field="description"
    )
    if due_on < timezone.localdate():
        raise ValidationFailed(_("上报截止日期不能早于今天。"), field="due_on")
    campaign = Campaign.objects.create(
        title=title,
        description=description,
        region=region,
        region_path=region.path,
        issuer=issuer,
        created_by=actor,
        due_on=due_on,
    )
    grids = Grid.objects.filter(
        region_path__gte=region.path, region_path__lt=region.path + PATH_END, is_active=True
    ).values_list("pk", "region_path")
    batch: list[CampaignTask] = []
    count = 0
    for pk, path in grids.iterator(chunk_size=BATCH):
        batch.append(CampaignTask(campaign=campaign, grid_id=pk, region_path=path))
        if len(batch) >= BATCH:
            CampaignTask.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    CampaignTask.objects.bulk_create(batch)
    count += len(batch)
    if count == 0:
        raise ValidationFailed(
            _("%(region)s下没有网格，无法发起排查。") % {"region": region.name}, field="region"
        )
    workers = User.objects.filter(
        pk__in=GridWorker.objects.filter(grid__campaigntask__campaign=campaign, is_active=True)
        .exclude(user=None)
        .values("user_id")
    )
    link = reverse("grid:campaign", args=[campaign.pk])
    transaction.on_commit(
        lambda: notify(
            recipients=list(workers),
            title=_("排查任务：%(title)s") % {"title": title},
            body=_("请于%(due)s前完成本网格的排查并上报。") % {"due": due_on.isoformat()},
            link=link,
            kind="grid_campaign",
            dedupe_key=f"grid-campaign:{campaign.pk}",
        )
    )
    audit(actor=actor, action="campaign.launch", obj=campaign, tasks=count)
    return campaign


def _may_report(actor: User, task: CampaignTask) -> bool:
    return task.grid_id in sel.own_grid_ids(actor) or sel.may_manage(actor, task.grid.region)


@transaction.atomic
def report_task(*, actor: User, task: CampaignTask, findings: list[FindingIn]) -> CampaignTask:
    """A grid's findings (none is a finding too: "排查无隐患"). Cases are registered at once;
    rectifications need a deadline."""
    task = (
        CampaignTask.objects.select_for_update()
        .select_related("grid__region", "campaign")
        .get(pk=task.pk)
    )
    if not _may_report(actor, task):
        raise PermissionDenied(_("您不是该网格的网格员，不能为它上报。"))
    if task.campaign.status != CampaignStatus.ACTIVE:
        raise ValidationFailed(_("该排查行动已结束。"), field="campaign")
    cleaned = []
    for i, f in enumerate(findings, start=1):
        text = clean_text(f.text, _("第%(n)d条发现") % {"n": i}, max_length=2000, field="findings")
        if f.outcome not in FindingOutcome.values:
            raise ValidationFailed(_("第%(n)d条发现的处置方式无效。") % {"n": i}, field="findings")
        if f.outcome == FindingOutcome.RECTIFY and (
            f.rectify_by is None or f.rectify_by < timezone.localdate()
        ):
            raise ValidationFailed(
                _("第%(n)d条发现需要不早于今天的整改期限。") % {"n": i}, field="findings"
            )
        cleaned.append((text, f))
    for text, f in cleaned:
        finding = CampaignFinding(task=task, text=text, outcome=f.outcome)
        if f.outcome == FindingOutcome.RECTIFY:
            finding.rectify_by = f.rectify_by
            finding.rectify_status = RectifyStatus.OPEN
        elif f.outcome == FindingOutcome.CASE:
            finding.case = _case_for(actor, task, text)
        finding.save()
    task.status = TaskStatus.REPORTED
    task.reported_at = timezone.now()
    task.reported_by = actor
    task.save(update_fields=["status", "reported_at", "reported_by"])
    audit(
        actor=actor,
        action="campaign.report",
        obj=task,
        region_path=task.region_path,
        findings=len(cleaned),
    )
    return task


def _case_for(actor: User, task: CampaignTask, text: str) -> Case:
    post = GridWorker.objects.filter(grid=task.grid, user=actor, is_active=True).first()
    appeal = AppealIn(
        center=center_for(actor, task.grid.region),
        channel=Channel.GRID,
        title=f"{task.campaign.title}：{text}"[:200],
        description=text,
        region=task.grid.region,
        parties=(
            PartyIn(name=post.name if post else str(actor), phone=post.phone if post else ""),
        ),
        kind="hazard",
        grid=task.grid,
        note=_("排查行动“%(title)s”发现") % {"title": task.campaign.title},
        extra={"campaign": task.campaign_id},
    )
    return register_grid_case(appeal, actor=actor)


@transaction.atomic
def finish_rectification(*, actor: User, finding: CampaignFinding, note: str) -> CampaignFinding:
    finding = (
        CampaignFinding.objects.select_for_update()
        .select_related("task__grid__region")
        .get(pk=finding.pk)
    )
    if not _may_report(actor, finding.task):
        raise PermissionDenied(_("您没有处理该整改任务的权限。"))
    if finding.outcome != FindingOutcome.RECTIFY:
        raise ValidationFailed(_("这条发现不是整改任务。"), field="finding")
    if finding.rectify_status == RectifyStatus.DONE:
        return finding
    finding.rectify_note = clean_text(note, _("整改情况"), max_length=2000, field="note")
    finding.rectify_status = RectifyStatus.DONE
    finding.rectified_at = timezone.now()
    finding.save(update_fields=["rectify_note", "rectify_status", "rectified_at"])
    audit(
        actor=actor, action="campaign.rectified", obj=finding, region_path=finding.task.region_path
    )
    return finding


@transaction.atomic
def close_campaign(*, actor: User, campaign: Campaign) -> Campaign:
    _issuer(actor, campaign.region)
    if campaign.status != CampaignStatus.CLOSED:
        campaign.status = CampaignStatus.CLOSED
        campaign.save(update_fields=["status"])
        audit(actor=actor, action="campaign.close", obj=campaign)
    return campaign
