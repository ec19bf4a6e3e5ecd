from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from fengqiao.notifications.models import Message, OutboundMessage, PublicOrigin
from fengqiao.notifications.services import deliver


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username")
    raw_id_fields = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = (
        "channel", "address_masked", "status", "attempts", "next_attempt_at", "sent_at",
        "created_at",
    )  # fmt: skip
    list_filter = ("channel", "status")
    search_fields = ("dedupe_key",)
    readonly_fields = (
        "channel", "address_masked", "subject", "text", "dedupe_key", "status", "attempts",
        "last_error", "next_attempt_at", "created_at", "sent_at", "backend", "provider_id",
    )  # fmt: skip
    actions = ["retry_now"]

    @admin.action(description=_("立即重试"))
    def retry_now(self, request, queryset) -> None:

        for row in queryset.exclude(status="sent"):
            deliver(outbound_id=row.pk, force=True)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PublicOrigin)
class PublicOriginAdmin(admin.ModelAdmin):
    """The address SMS links use when FENGQIAO_PUBLIC_URL is unset (see notifications.links);
    shown for checking, written only by requests."""

    list_display = ("origin", "seen_at")
    readonly_fields = ("key", "origin", "seen_at")

    def has_add_permission(self, request) -> bool:
        return False
