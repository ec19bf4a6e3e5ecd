from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTERED = "registered", _("已受理")
    MEDIATING = "mediating", _("先行调解")
    DISPATCHED = "dispatched", _("已分流（待签收）")
    HANDLING = "handling", _("办理中")
    RESOLVED = "resolved", _("已办结（待审核）")
    CLOSED = "closed", _("已结案（待回访）")
    ARCHIVED = "archived", _("已归档")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (
    Status.REGISTERED,
    Status.MEDIATING,
    Status.DISPATCHED,
    Status.HANDLING,
    Status.RESOLVED,
)
FINAL_STATUSES = (Status.ARCHIVED, Status.REJECTED, Status.WITHDRAWN)


class Action(models.TextChoices):
    REGISTER = "register", _("登记受理")
    MEDIATE = "mediate", _("先行调解")
    DISPATCH = "dispatch", _("分流派单")
    ANSWER = "answer", _("当场答复办结")
    SETTLE = "settle", _("调解成功")
    REJECT = "reject", _("不予受理")
    WITHDRAW = "withdraw", _("撤回")
    SIGN = "sign", _("签收")
    RETURN = "return", _("退回")
    RESOLVE = "resolve", _("办结")
    ESCALATE = "escalate", _("上报上级中心")
    DELEGATE = "delegate", _("交办下级中心")
    CLOSE = "close", _("审核结案")
    SEND_BACK = "send_back", _("退回重办")
    ARCHIVE = "archive", _("归档")
    REOPEN = "reopen", _("重新办理")
    # Events that do not change the status.
    COMMENT = "comment", _("备注")
    CO_REPORT = "co_report", _("协办反馈")
    CO_RELEASE = "co_release", _("解除协办")
    PROGRESS_REPORT = "progress_report", _("进展报告")
    SUPERVISE = "supervise", _("督办")
    SUPERVISION_REPLY = "supervision_reply", _("督办回复")
    UPDATE = "update", _("修改信息")
    LINK = "link", _("关联案件")
    ATTACH = "attach", _("上传附件")
    REVEAL = "reveal", _("查看个人信息")
    MEDIATION_REQUEST = "mediation_request", _("点单")
    MEDIATION_SESSION = "mediation_session", _("安排调解")
    MEDIATION_OUTCOME = "mediation_outcome", _("调解结果")
    MEDIATION_AGREEMENT = "mediation_agreement", _("调解协议书")
    JUDICIAL = "judicial", _("司法确认")
    SERVICE_PACKAGE = "service_package", _("组合式服务")
    TRANSFER = "transfer", _("对接移送")


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口来访")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("来信")
    WEB = "web", _("网上")
    QR = "qr", _("扫码（H5）")
    GRID = "grid", _("网格员上报")
    TRANSFER_110 = "transfer_110", _("110转办")
    TRANSFER_12345 = "transfer_12345", _("12345转办")
    TRANSFER_COURT = "transfer_court", _("法院委派")
    API = "api", _("系统接口")


class RiskLevel(models.TextChoices):
    BLUE = "blue", _("蓝色")
    YELLOW = "yellow", _("黄色")
    RED = "red", _("红色")


class CaseKind(models.TextChoices):
    DISPUTE = "dispute", _("矛盾纠纷")
    SECURITY = "security", _("治安问题")
    HAZARD = "hazard", _("安全隐患")
    LEGAL = "legal", _("法律咨询")
    PETITION = "petition", _("信访诉求")
    LIVELIHOOD = "livelihood", _("民生诉求")
    OTHER = "other", _("其他")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    OTHER = "other", _("其他当事人")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANIZATION = "organization", _("组织")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    SIGNED = "signed", _("已签收")
    REPORTED = "reported", _("已反馈")
    RETURNED = "returned", _("已退回")
    CANCELLED = "cancelled", _("已撤销")
    RELEASED = "released", _("已解除协办")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class LinkKind(models.TextChoices):
    RELATED = "related", _("相关")
    SAME_PARTY = "same_party", _("同一当事人")
    SAME_PLACE = "same_place", _("同一地点")
    SIMILAR_TEXT = "similar_text", _("内容相似")
    DUPLICATE = "duplicate", _("重复")
