"""Security state: the tamper-evident audit trail, login throttles, password history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    LOGIN_OK = "login_ok", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGIN_LOCKED = "login_locked", _("登录被锁定拒绝")
    LOGOUT = "logout", _("退出登录")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    OTP_ENROLLED = "otp_enrolled", _("绑定动态口令")
    OTP_OK = "otp_ok", _("动态口令验证成功")
    OTP_FAILED = "otp_failed", _("动态口令验证失败")
    PASSWORD_CHANGED = "password_changed", _("修改了密码")
    REVEAL = "reveal", _("查看完整个人信息")
    REVEAL_REFUSED = "reveal_refused", _("查看个人信息被拒绝")
    SEARCH = "search", _("按电话或证件号精确查询")
    EXPORT = "export", _("导出数据")
    ADMIN_CHANGE = "admin_change", _("后台管理变更")
    ROLE_REFUSED = "role_refused", _("角色分离拒绝")


# The kinds each reviewing role sees (三员分立: the system administrator sees sign-ins, not
# the administration trail that records his own work; the auditor sees everything).
LOGIN_KINDS = frozenset(
    {
        AuditKind.LOGIN_OK,
        AuditKind.LOGIN_FAILED,
        AuditKind.LOGIN_LOCKED,
        AuditKind.LOGOUT,
        AuditKind.SESSION_EXPIRED,
        AuditKind.OTP_ENROLLED,
        AuditKind.OTP_OK,
        AuditKind.OTP_FAILED,
        AuditKind.PASSWORD_CHANGED,
    }
)
DATA_KINDS = frozenset(
    {AuditKind.REVEAL, AuditKind.REVEAL_REFUSED, AuditKind.SEARCH, AuditKind.EXPORT}
)


class AuditEntry(models.Model):
    """One append-only entry of the audit trail, chained to the one before it by a keyed MAC.

    ``seq`` has no gaps (it is given under the head's lock), so a deleted entry shows as a
    hole; the head (:class:`AuditHead`) anchors the last entry, so a deleted tail shows too.
    Who acted is kept as the id and the username at the time, never as a foreign key, so that
    deactivating or (wrongly) deleting an account breaks no entry.
    """

    seq = models.PositiveBigIntegerField(_("审计序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("审计类别"), max_length=24, choices=AuditKind.choices, db_index=True)
    actor_id = models.PositiveBigIntegerField(_("操作人编号"), null=True, blank=True)
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True, db_index=True)
    address = models.CharField(_("来源地址"), max_length=45, blank=True)
    target = models.CharField(_("对象"), max_length=64, blank=True, db_index=True)
    fields = models.CharField(_("字段"), max_length=200, blank=True)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    region_path = models.CharField(_("区划路径"), max_length=80, blank=True, db_index=True)
    prev_mac = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.actor_name}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only.")

    def payload(self) -> dict:
        """What the MAC covers, in a canonical form."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "actor_id": self.actor_id,
            "actor": self.actor_name,
            "address": self.address,
            "target": self.target,
            "fields": self.fields,
            "reason": self.reason,
            "detail": self.detail,
            "region": self.region_path,
            "prev": self.prev_mac,
        }


class AuditHead(models.Model):
    """The one row that anchors the chain's last entry (its seq and MAC, under a MAC)."""

    seq = models.PositiveBigIntegerField(default=0)
    mac = models.CharField(max_length=64, blank=True)
    seal = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"head #{self.seq}"


class Throttle(models.Model):
    """Failed sign-ins of one account or one address; too many lock it for a while."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("账号")
        ADDRESS = "address", _("来源地址")

    scope = models.CharField(_("限制范围"), max_length=8, choices=Scope.choices)
    key = models.CharField(_("账号或地址"), max_length=150)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    window_start = models.DateTimeField(_("计数起点"), null=True, blank=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    usernames = models.JSONField(_("尝试过的账号"), default=list, blank=True)

    class Meta:
        verbose_name = _("登录限制")
        verbose_name_plural = _("登录限制")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="security_throttle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} {self.failures}"


class PasswordRecord(models.Model):
    """A password a user has had (its hash), for the no-reuse rule and the expiry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("所属用户"),
        on_delete=models.CASCADE,
        related_name="password_records",
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"
