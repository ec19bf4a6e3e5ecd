"""The staff inbox (站内消息) and the outbox of SMS and e-mail to citizens and staff.

This app imports no domain app: messages carry a link and a kind, not a foreign key to a case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.core import crypto
from fengqiao.notifications.choices import OutboundChannel, OutboundStatus


class Message(models.Model):
    """One in-app message to one staff user."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    kind = models.CharField(_("类别"), max_length=32, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="message_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="message_unique_dedupe",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboundMessage(models.Model):
    """An SMS or e-mail waiting to go out, going out, or sent. The address is encrypted.

    A row is never deleted on failure: it stays pending with its attempts, last error and the
    time of the next attempt, and :func:`fengqiao.notifications.services.retry_due` picks it up.
    """

    channel = models.CharField(_("渠道"), max_length=8, choices=OutboundChannel.choices)
    address_encrypted = models.TextField(editable=False)
    address_masked = models.CharField(_("接收方"), max_length=120, blank=True)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    text = models.TextField(_("内容"))
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=OutboundStatus.choices, default=OutboundStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    backend = models.CharField(_("发送通道"), max_length=200, blank=True)
    provider_id = models.CharField(_("网关回执"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address_masked}"

    @property
    def address(self) -> str:
        return crypto.decrypt(self.address_encrypted)


class PublicOrigin(models.Model):
    """The address (scheme and host) citizens reach this site at, as last seen on a request.

    Written by :class:`fengqiao.notifications.links.PublicOriginMiddleware` when it changes,
    read where no request exists (the task worker's SMS) by
    :func:`fengqiao.notifications.links.public_base_url`. One row (``key="site"``).
    """

    key = models.CharField(_("键"), max_length=16, unique=True, default="site")
    origin = models.CharField(_("公网地址"), max_length=300)
    seen_at = models.DateTimeField(_("最近一次访问"))

    class Meta:
        verbose_name = _("公网地址")
        verbose_name_plural = _("公网地址")

    def __str__(self) -> str:
        return self.origin
