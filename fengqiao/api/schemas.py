"""Request and response shapes of the JSON API (pydantic, through django-ninja)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

# Database ids are 64-bit; anything larger is refused as input instead of reaching the driver.
Id = Annotated[int, Field(ge=1, le=2**62)]


def _clean(value: str) -> str:
    """Refuse text no database stores: NUL characters and unpaired UTF-16 surrogates."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return value


def Text(max_length: int) -> type[str]:
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_clean)]  # type: ignore[return-value]


def _sane_datetime(value: dt.datetime) -> dt.datetime:
    if not 1970 <= value.year <= 9000:
        raise ValueError("datetime out of range")
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    return value


SaneDatetime = Annotated[dt.datetime, AfterValidator(_sane_datetime)]


# --- parties, cases -------------------------------------------------------------------


class PartyIn(Schema):
    role: Text(16) = "applicant"
    kind: Text(16) = "person"
    name: Text(120)
    phone: Text(32) = ""
    id_number: Text(32) = ""
    address: Text(255) = ""
    is_elderly: bool = False
    is_minor: bool = False
    is_disabled: bool = False


class CaseIn(Schema):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "channel": "window",
                    "title": "邻里噪音纠纷",
                    "description": "楼上住户夜间装修噪音扰民，协商未果。",
                    "region": "420923100001",
                    "category": "dispute.neighbor",
                    "address": "城关镇幸福路8号",
                    "people_count": 2,
                    "parties": [
                        {"role": "applicant", "name": "王小明", "phone": "13800138000"},
                        {"role": "respondent", "name": "李大海"},
                    ],
                }
            ]
        }
    }

    center: Id | None = Field(None, description="综治中心 id；默认为调用者所属的第一个中心")
    channel: Text(20) = "api"
    title: Text(200)
    description: Text(20000)
    region: Text(12) = Field(..., description="发生地区划代码")
    category: Text(32) | None = Field(None, description="分类编码")
    kind: Text(16) | None = None
    address: Text(255) = ""
    latitude: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)] | None = None
    grid: Text(16) | None = Field(None, description="网格编码")
    people_count: Annotated[int, Field(ge=1, le=100000)] = 1
    parties: Annotated[list[PartyIn], Field(min_length=1, max_length=50)]


class CaseListQuery(Schema):
    status: Annotated[list[Text(16)], Field(max_length=20, description="状态（可多选）")] = []
    category: Text(32) = Field("", description="分类编码（含下级）")
    region: Text(12) = Field("", description="区划代码（含下级）")
    risk_level: Text(16) = Field("", description="风险等级")
    unit: Id | None = Field(None, description="主办或协办单位 id")
    overdue: bool | None = Field(None, description="是否超期")
    registered_from: dt.date | None = Field(None, description="受理日期起（含）")
    registered_to: dt.date | None = Field(None, description="受理日期止（含）")
    q: Text(100) = Field("", description="编号、电话、身份证号、姓名或文字")
    cursor: Text(200) = Field("", description="上一页返回的 next_cursor")
    page: Annotated[int, Field(ge=1, le=10000)] | None = Field(
        None, description="页码（与游标二选一）"
    )
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    with_count: bool = Field(False, description="是否计算总数（较慢）")


class CodeName(Schema):
    code: str
    name: str


class CategoryRef(CodeName):
    label: str = Field(description="名称，按 Accept-Language（英文界面为英文名称）")


class UnitRef(Schema):
    id: int
    name: str


class PartyOut(Schema):
    role: str
    role_label: str
    kind: str
    masked_name: str
    masked_phone: str
    masked_id_number: str
    is_elderly: bool
    is_minor: bool
    is_disabled: bool


class AssignmentOut(Schema):
    unit: UnitRef
    role: str
    role_label: str
    status: str
    status_label: str
    assigned_at: dt.datetime
    signed_at: dt.datetime | None
    reported_at: dt.datetime | None


class AllowedAction(Schema):
    action: str
    label: str
    requires: list[str]


class CaseListItem(Schema):
    code: str
    title: str
    status: str
    status_label: str
    kind: str
    channel: str
    category: CategoryRef | None
    region: CodeName
    center: UnitRef
    lead_unit: UnitRef | None
    risk_level: str
    registered_at: dt.datetime
    deadline: dt.datetime | None
    is_overdue: bool
    version: int


class CaseOut(CaseListItem):
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    grid: str | None
    people_count: int
    risk_score: int
    tier_level: int | None
    sign_deadline: dt.datetime | None
    dispatched_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    result: str
    public_result: str
    satisfaction: str
    tracking_url: str
    parties: list[PartyOut]
    assignments: list[AssignmentOut]
    allowed_actions: list[AllowedAction]


class CasePage(Schema):
    items: list[CaseListItem]
    next_cursor: str | None = Field(None, description="下一页游标；为空表示没有更多")
    count: int | None = Field(None, description="总数（仅当 with_count=true 时计算）")


class TransitionIn(Schema):
    action: Text(20)
    note: Text(5000) = ""
    result: Text(20000) = ""
    public_result: Text(20000) = ""
    lead_unit: Id | None = None
    co_units: Annotated[list[Id], Field(max_length=20)] = []
    target_center: Id | None = None
    satisfaction: Text(16) = ""
    expected_version: Annotated[int, Field(ge=0, le=2**31)] | None = None
    membership: Id | None = Field(None, description="以哪个任职身份操作（可选）")


class CoHandlingIn(Schema):
    action: Literal["report", "release"] = Field(
        description="report：协办单位反馈办理情况；release：分流调度员解除协办（须说明理由）"
    )
    text: Text(20000) = Field(description="反馈内容或解除理由")
    unit: Id | None = Field(None, description="协办单位（release 必填；report 默认本人所在单位）")
    membership: Id | None = Field(None, description="以哪个任职身份操作（可选）")


class EventOut(Schema):
    seq: int
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor_label: str
    unit_label: str
    note: str
    data: dict
    created_at: dt.datetime
    hash: str


# --- supervision ------------------------------------------------------------------------


class SupervisionIn(Schema):
    grade: Text(16)
    requirement: Text(5000)
    reply_deadline: SaneDatetime


class ReplyIn(Schema):
    text: Text(5000)


class ReplyOut(Schema):
    id: int
    unit: UnitRef | None
    author_label: str
    text: str
    created_at: dt.datetime


class SupervisionOut(Schema):
    id: int
    case: str
    grade: str
    grade_label: str
    requirement: str
    unit: UnitRef | None
    reply_deadline: dt.datetime
    status: str
    status_label: str
    is_automatic: bool
    issued_at: dt.datetime
    closed_at: dt.datetime | None
    replies: list[ReplyOut]


# --- tokens -----------------------------------------------------------------------------


class TokenIn(Schema):
    name: Text(64)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(..., description="完整令牌，仅显示这一次")


# --- public -----------------------------------------------------------------------------


class TimelineStepOut(Schema):
    time: dt.datetime
    text: str


class PublicCaseOut(Schema):
    code: str
    status: str
    status_label: str
    kind: str
    kind_label: str
    category_label: str
    registered_at: dt.datetime
    deadline: dt.datetime | None
    result: str
    can_rate: bool
    satisfaction: str
    timeline: list[TimelineStepOut]


# --- lookups ----------------------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str
    level: int
    level_label: str = Field(description="级别名称，按 Accept-Language")
    has_children: bool


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str = Field(description="英文名称（可为空）")
    label: str = Field(description="名称，按 Accept-Language（英文界面为英文名称）")
    parent: str | None
    kind: str
    path: str


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    unit_type: str
    unit_type_label: str
    region: str
    center: int | None
