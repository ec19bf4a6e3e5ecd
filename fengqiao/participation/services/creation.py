"""普法 activities, 平安创建 campaigns (who earned 平安村、平安单位、平安家庭…) and 知晓率
surveys.

A candidate is evaluated against its campaign's criteria with a score out of 100: at or
above the campaign's pass score it earns the title (``awarded``), else ``not_awarded``.
A survey's 知晓率 is the share of "知道" answers over all answers (selectors.awareness).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.org.models import User
from fengqiao.participation import selectors
from fengqiao.participation.choices import ActivityKind, CandidateResult, TitleKind
from fengqiao.participation.models import (
    CampaignCandidate,
    Citizen,
    LegalActivity,
    SafetyCampaign,
    Survey,
    SurveyResponse,
)
from fengqiao.participation.services import points
from fengqiao.participation.services.common import clean_text, require_manager
from fengqiao.regions.models import Region

MAX_QUESTIONS = 20


def _count(value: object, label: str, field: str, *, low: int = 0, high: int = 1_000_000) -> int:
    try:
        n = int(str(value))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(
            _("请填写%(label)s（整数）。") % {"label": label}, field=field
        ) from exc
    if not low <= n <= high:
        raise ValidationFailed(
            _("%(label)s应在%(low)d到%(high)d之间。") % {"label": label, "low": low, "high": high},
            field=field,
        )
    return n


def _center(actor: User, region: Region):
    require_manager(actor, region)
    center = selectors.managing_center(actor, region)
    if center is None:
        raise PermissionDenied(_("请以该地区所属综治中心的身份登记。"))
    return center


def record_activity(
    *,
    actor: User,
    region: Region,
    kind: str,
    title: str,
    held_on: dt.date,
    place: str,
    audience: object,
    materials: object = 0,
    materials_note: str = "",
) -> LegalActivity:
    if kind not in ActivityKind.values:
        raise ValidationFailed(_("请选择活动形式。"), field="kind")
    if held_on > timezone.localdate():
        raise ValidationFailed(_("活动日期不能晚于今天。"), field="held_on")
    return LegalActivity.objects.create(
        center=_center(actor, region),
        region=region,
        region_path=region.path,
        kind=kind,
        title=clean_text(title, _("主题"), max_length=120, field="title"),
        held_on=held_on,
        place=clean_text(place, _("地点"), max_length=120, field="place"),
        audience=_count(audience, _("受众人数"), "audience", high=100_000),
        materials=_count(materials or 0, _("发放资料（份）"), "materials"),
        materials_note=clean_text(materials_note, _("资料说明"), max_length=200, required=False),
        created_by=actor,
    )


def create_campaign(
    *, actor: User, region: Region, title_kind: str, year: int, criteria: str, pass_score: int = 80
) -> SafetyCampaign:
    if title_kind not in TitleKind.values:
        raise ValidationFailed(_("请选择创建称号。"), field="title_kind")
    return SafetyCampaign.objects.create(
        center=_center(actor, region),
        region=region,
        region_path=region.path,
        title_kind=title_kind,
        year=_count(year, _("年度"), "year", low=2000, high=2100),
        criteria=clean_text(criteria, _("创建标准"), max_length=5000, field="criteria"),
        pass_score=_count(pass_score, _("达标分数"), "pass_score", high=100),
        created_by=actor,
    )


def add_candidate(*, actor: User, campaign: SafetyCampaign, name: str) -> CampaignCandidate:
    require_manager(actor, campaign.region)
    name = clean_text(name, _("参评对象"), max_length=120, field="name")
    try:
        with transaction.atomic():
            return CampaignCandidate.objects.create(campaign=campaign, name=name)
    except IntegrityError as exc:
        raise Conflict(_("该参评对象已在名单中。"), code="duplicate_candidate") from exc


def evaluate(
    *, actor: User, candidate: CampaignCandidate, score: object, note: str = ""
) -> CampaignCandidate:
    require_manager(actor, candidate.campaign.region)
    candidate.score = _count(score, _("评定分数"), "score", high=100)
    candidate.result = (
        CandidateResult.AWARDED
        if candidate.score >= candidate.campaign.pass_score
        else CandidateResult.NOT_AWARDED
    )
    candidate.note = clean_text(note, _("评定意见"), max_length=200, required=False)
    candidate.evaluated_by = actor
    candidate.evaluated_at = timezone.now()
    candidate.save()
    return candidate


def create_survey(*, actor: User, region: Region, title: str, questions: list[str]) -> Survey:
    qs = [q.strip()[:200] for q in questions if q and q.strip()]
    if not qs:
        raise ValidationFailed(_("请至少填写一道题目。"), field="questions")
    if len(qs) > MAX_QUESTIONS:
        raise ValidationFailed(_("题目不能超过%(n)d道。") % {"n": MAX_QUESTIONS}, field="questions")
    return Survey.objects.create(
        center=_center(actor, region),
        region=region,
        region_path=region.path,
        title=clean_text(title, _("问卷"), max_length=120, field="title"),
        questions=qs,
        created_by=actor,
        created_at=timezone.now(),
    )


def answer_survey(*, resident: Citizen, survey: Survey, answers: list[bool]) -> SurveyResponse:
    if not survey.is_open:
        raise Conflict(_("该调查已结束。"), code="survey_closed")
    if resident.region is None or survey.region.code not in resident.region.ancestor_codes:
        raise PermissionDenied(_("该调查面向其他地区的居民。"))
    if len(answers) != len(survey.questions):
        raise ValidationFailed(_("请回答每一道题。"), field="answers")
    try:
        with transaction.atomic():
            row = SurveyResponse.objects.create(
                survey=survey,
                resident=resident,
                answers=[bool(a) for a in answers],
                created_at=timezone.now(),
            )
            points.award(
                resident=resident,
                rule_code="survey",
                key=f"survey:{survey.pk}",
                reason=f"参与调查：{survey.title[:60]}",  # stored data
            )
    except IntegrityError as exc:
        raise Conflict(_("您已经参与过这次调查了。"), code="already_answered") from exc
    return row
