"""Choices of the centers' own standardization, staffing, duty, meetings and assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemGroup(models.TextChoices):
    FIVE_HAVE = "five_have", _("五有")
    FIVE_NORMS = "five_norms", _("五规范")
    AREA = "area", _("功能区")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("验收通过")
    RECTIFY = "rectify", _("限期整改")
    FAILED = "failed", _("未通过")


class StaffKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    SECONDED = "seconded", _("派驻")
    PART_TIME = "part_time", _("兼职")


class DutyPost(models.TextChoices):
    FIRST_DIRECTOR = "first_director", _("第一主任")
    SECOND_DIRECTOR = "second_director", _("第二主任")
    CHIEF_ON_DUTY = "chief_on_duty", _("总值班长")
    DUTY_DIRECTOR = "duty_director", _("值班主任")


# The posts whose holder of the day receives the alert of a new red case.
ALERT_POSTS = (DutyPost.CHIEF_ON_DUTY, DutyPost.DUTY_DIRECTOR)


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("联席会议")
    MONTHLY = "monthly", _("月度研判会")
    CONSULTATION = "consultation", _("会商会办")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待召开")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class AgendaReason(models.TextChoices):
    RED = "red", _("红色风险")
    OVERDUE = "overdue", _("超期")
    MULTI_DEPARTMENT = "multi_department", _("多部门")
    REPEATED = "repeated", _("重复诉求")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    DONE = "done", _("已完成")


class ReportStatus(models.TextChoices):
    DUE = "due", _("待报送")
    SUBMITTED = "submitted", _("已报送")
    LATE = "late", _("逾期报送")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("处置中")
    CLOSED = "closed", _("已结束")


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("通报")
    INTERVIEW = "interview", _("约谈")
    VETO = "veto", _("一票否决")
