from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    """Who is listed in a center's directory."""

    MEDIATOR = "mediator", _("调解员")
    LEGAL_EXPERT = "legal_expert", _("法律专家")


class OrganizationKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("人民调解委员会")
    PROFESSIONAL_COMMITTEE = "professional_committee", _("行业性专业性调解委员会")
    STUDIO = "studio", _("个人调解工作室")
    LAW_FIRM = "law_firm", _("律师事务所")


class Residency(models.TextChoices):
    RESIDENT = "resident", _("常驻")
    ROTATING = "rotating", _("轮驻")
    ON_CALL = "on_call", _("随驻")


class PairingRole(models.TextChoices):
    DEPUTY_CHIEF = "deputy_chief", _("法治副村长")
    LEGAL_ADVISER = "legal_adviser", _("村（社区）法律顾问")


class Requester(models.TextChoices):
    CITIZEN = "citizen", _("群众点单")
    STAFF = "staff", _("窗口代点")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待中心确认")
    CONFIRMED = "confirmed", _("已确认")
    PROPOSED = "proposed", _("中心另荐")
    REFUSED = "refused", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")


class SessionMode(models.TextChoices):
    ROOM = "room", _("现场调解")
    ONLINE = "online", _("线上调解")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已调解")
    CANCELLED = "cancelled", _("已取消")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("调解成功")
    PARTIAL = "partial", _("部分成功")
    FAILED = "failed", _("调解失败")
    ADJOURNED = "adjourned", _("继续调解")


# Outcomes that end a mediation (the others leave it open for another round).
FINAL_OUTCOMES = (Outcome.SUCCESS, Outcome.PARTIAL, Outcome.FAILED)
AGREED_OUTCOMES = (Outcome.SUCCESS, Outcome.PARTIAL)


class ParticipantRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    AGENT = "agent", _("代理人")
    WITNESS = "witness", _("证人")
    EXPERT = "expert", _("法律专家")
    MEDIATOR = "mediator", _("调解员")
    RECORDER = "recorder", _("记录人")
    OTHER = "other", _("其他")


# Roles that stand on one side of the dispute: a mediator once in one of them is conflicted.
SIDE_ROLES = (
    ParticipantRole.APPLICANT,
    ParticipantRole.RESPONDENT,
    ParticipantRole.AGENT,
    ParticipantRole.WITNESS,
)


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("待签字")
    SIGNED = "signed", _("已签字生效")
    VOID = "void", _("已作废")


class SignatureMethod(models.TextChoices):
    SCAN = "scan", _("上传签字扫描件")
    SCREEN = "screen", _("屏幕手写签名")


class ConfirmationStatus(models.TextChoices):
    REFERRED = "referred", _("已申请司法确认")
    CONFIRMED = "confirmed", _("裁定确认有效")
    REJECTED = "rejected", _("裁定驳回申请")


class ServiceKind(models.TextChoices):
    MEDIATION = "mediation", _("调解")
    ARBITRATION = "arbitration", _("仲裁")
    NOTARIZATION = "notarization", _("公证")
    LEGAL_AID = "legal_aid", _("法律援助")
    COUNSELLING = "counselling", _("心理疏导")
    LITIGATION = "litigation", _("诉讼")


class ServiceStatus(models.TextChoices):
    PENDING = "pending", _("待办理")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未能完成")
    CANCELLED = "cancelled", _("已取消")


OPEN_SERVICE_STATUSES = (ServiceStatus.PENDING, ServiceStatus.IN_PROGRESS)


class TransferKind(models.TextChoices):
    COURT = "court", _("诉调对接")
    POLICE = "police", _("公调对接")
    PROCURATORATE = "procuratorate", _("检调对接")
    PETITION = "petition", _("访调对接")


class TransferStatus(models.TextChoices):
    SENT = "sent", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    RETURNED = "returned", _("已退回")
    CONCLUDED = "concluded", _("已反馈结果")
