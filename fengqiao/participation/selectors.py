"""Reads of citizen participation, each starting from the scope of the user.

Staff see what lies under the regions of their centers (any role at a center); a grid worker
sees the clues of the grids they hold a post in. Writes that run a village's participation
(reviewing clues, opening topics, sending notices, recording activities) are for
:data:`MANAGE_ROLES` at a center above the place, and for a grid worker in their grids' clues.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from fengqiao.grid.selectors import own_grid_ids
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.org.selectors import active_memberships
from fengqiao.participation.choices import ClueStatus, TopicStatus, VoteChoice
from fengqiao.participation.models import (
    Citizen,
    Clue,
    Comment,
    LegalActivity,
    Meeting,
    Notice,
    PointEntry,
    SafetyCampaign,
    Survey,
    Topic,
)
from fengqiao.regions.models import PATH_END, Region

MANAGE_ROLES = frozenset(
    {Role.DIRECTOR, Role.ADMIN, Role.DISPATCHER, Role.RECEPTIONIST, Role.GRID_WORKER}
)
VIEW_ROLES = frozenset(Role.values)


def centers_of(user: User, roles: frozenset[str] = VIEW_ROLES) -> list[Unit]:
    """The active centers where the user holds one of ``roles``."""
    if not user.is_authenticated:
        return []
    seen: dict[int, Unit] = {}
    for m in active_memberships(user):
        if m.unit.kind == UnitKind.CENTER and m.role in roles:
            seen.setdefault(m.unit.pk, m.unit)
    return sorted(seen.values(), key=lambda u: u.region_path)


def _paths(user: User, roles: frozenset[str] = VIEW_ROLES) -> list[str]:
    paths = sorted({u.region_path for u in centers_of(user, roles)})
    out: list[str] = []
    for p in paths:
        if not any(p.startswith(q) for q in out):
            out.append(p)
    return out


def path_q(paths: list[str], field: str = "region_path") -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__gte": p, f"{field}__lt": p + PATH_END})
    return q


def not_found_message() -> str:
    return _("线索不存在或您无权查看。")


def no_grid_message() -> str:
    return _("网格不存在。")


def may_use(user: User) -> bool:
    """Whether the section appears in the staff navigation."""
    return bool(user.is_authenticated and (user.is_superuser or centers_of(user)))


def may_manage(user: User, region: Region) -> bool:
    """May run participation (topics, notices, activities) for ``region``."""
    if user.is_superuser:
        return True
    roles = MANAGE_ROLES - {Role.GRID_WORKER}
    return any(region.path.startswith(p) for p in _paths(user, roles))


def managing_center(user: User, region: Region) -> Unit | None:
    """The user's nearest center (managing role) whose area holds ``region``."""
    roles = MANAGE_ROLES - {Role.GRID_WORKER}
    found = [u for u in centers_of(user, roles) if region.path.startswith(u.region_path)]
    return found[-1] if found else None


def may_review(user: User, clue: Clue) -> bool:
    """The grid worker of the clue's grid, or managing staff of a center above its place."""
    if may_manage(user, clue.region):
        return True
    return clue.grid_id is not None and clue.grid_id in own_grid_ids(user)


def scope(user: User, qs: QuerySet, *, grids: bool = False) -> QuerySet:
    if user.is_superuser:
        return qs
    # With grids, a grid worker sees only the rows of their own grids (as in grid management).
    q = path_q(_paths(user, VIEW_ROLES - {Role.GRID_WORKER} if grids else VIEW_ROLES))
    if grids:
        own = own_grid_ids(user)
        if own:
            q |= Q(grid_id__in=own)
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(q)


def visible_clues(user: User) -> QuerySet[Clue]:
    return scope(user, Clue.objects.all(), grids=True).select_related("region", "grid", "case")


def review_queue(user: User) -> QuerySet[Clue]:
    return visible_clues(user).filter(status=ClueStatus.PENDING).order_by("created_at", "id")


def visible_topics(user: User) -> QuerySet[Topic]:
    return scope(user, Topic.objects.all()).select_related("region", "center")


def visible_meetings(user: User) -> QuerySet[Meeting]:
    return scope(user, Meeting.objects.all()).select_related("region")


def visible_notices(user: User) -> QuerySet[Notice]:
    return scope(user, Notice.objects.all()).select_related("region", "grid")


def visible_activities(user: User) -> QuerySet[LegalActivity]:
    return scope(user, LegalActivity.objects.all()).select_related("region")


def visible_campaigns(user: User) -> QuerySet[SafetyCampaign]:
    return scope(user, SafetyCampaign.objects.all()).select_related("region")


def visible_surveys(user: User) -> QuerySet[Survey]:
    return scope(user, Survey.objects.all()).select_related("region")


def manage_regions(user: User) -> list[Region]:
    if user.is_superuser:
        return list(Region.objects.filter(level=3).order_by("code")[:20])
    return [u.region for u in centers_of(user, MANAGE_ROLES - {Role.GRID_WORKER})]


# --- residents -----------------------------------------------------------------------------


def balance(resident: Citizen) -> int:
    return int(resident.points.aggregate(s=Sum("delta"))["s"] or 0)


def ledger(resident: Citizen) -> QuerySet[PointEntry]:
    return resident.points.order_by("-created_at", "-id")


def topics_for(resident: Citizen | None, region: Region | None) -> QuerySet[Topic]:
    """The topics a resident sees: those of their village (all published ones elsewhere
    stay out: 议事厅 is per village)."""
    qs = Topic.objects.select_related("region")
    if region is None:
        return qs.none()
    return qs.filter(region=region)


def inbox(resident: Citizen) -> QuerySet:
    return resident.notices.select_related("notice").order_by("-notice__created_at")


def open_surveys(resident: Citizen) -> QuerySet[Survey]:
    if resident.region is None:
        return Survey.objects.none()
    return Survey.objects.filter(
        is_open=True, region__code__in=resident.region.ancestor_codes
    ).exclude(responses__resident=resident)


# --- tallies -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def passed(self) -> bool:
        return self.yes * 2 > self.total


def tally(topic: Topic) -> Tally:
    counts = dict(topic.votes.values_list("choice").annotate(n=Count("id")))
    return Tally(
        yes=counts.get(VoteChoice.YES, 0),
        no=counts.get(VoteChoice.NO, 0),
        abstain=counts.get(VoteChoice.ABSTAIN, 0),
    )


def public_comments(topic: Topic) -> QuerySet[Comment]:
    return topic.comments.filter(hidden=False).select_related("resident")


def awareness(survey: Survey) -> float | None:
    """知晓率: the share of "I know" answers over all answers to all questions."""
    known = total = 0
    for answers in survey.responses.values_list("answers", flat=True):
        total += len(answers)
        known += sum(1 for a in answers if a)
    return known / total if total else None


def question_rates(survey: Survey) -> list[tuple[str, float | None, int]]:
    rows = list(survey.responses.values_list("answers", flat=True))
    out = []
    for i, question in enumerate(survey.questions):
        given = [r[i] for r in rows if i < len(r)]
        out.append((question, (sum(given) / len(given)) if given else None, len(given)))
    return out


def counts(user: User) -> dict[str, int]:
    """The figures of the section's home page (and the dashboards)."""
    clues = visible_clues(user)
    acts = visible_activities(user).aggregate(a=Sum("audience"), m=Sum("materials"))
    return {
        "clues": clues.count(),
        "clues_pending": clues.filter(status=ClueStatus.PENDING).count(),
        "clues_case": clues.filter(status=ClueStatus.CASE).count(),
        "topics_open": visible_topics(user)
        .filter(status__in=[TopicStatus.OPEN, TopicStatus.VOTING])
        .count(),
        "topics_published": visible_topics(user).filter(status=TopicStatus.PUBLISHED).count(),
        "meetings": visible_meetings(user).count(),
        "notices": visible_notices(user).count(),
        "activities": visible_activities(user).count(),
        "audience": int(acts["a"] or 0),
        "materials": int(acts["m"] or 0),
        "titles": visible_campaigns(user).filter(candidates__result="awarded").count(),
    }
