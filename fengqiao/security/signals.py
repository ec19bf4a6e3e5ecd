"""Reactions that keep the audit trail and the separation of duties, wherever a change
comes from (the workbench, the admin site, a shell)."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from fengqiao.core.errors import ValidationFailed
from fengqiao.org.models import Membership
from fengqiao.security import audit
from fengqiao.security.models import AuditKind
from fengqiao.security.selectors import SEPARATED_ROLES

ACTIONS = {1: "add", 2: "change", 3: "delete"}


@receiver(post_save, sender=LogEntry, dispatch_uid="fq_security_admin_change")
def on_admin_change(sender, instance: LogEntry, created: bool, **kw) -> None:
    """Every change made on the admin site goes onto the chained trail too."""
    if not created:
        return
    audit.record(
        AuditKind.ADMIN_CHANGE,
        actor_name=instance.user.get_username() if instance.user_id else "",
        target=f"{instance.content_type.app_label}.{instance.content_type.model}"
        if instance.content_type_id
        else "",
        detail={
            "action": ACTIONS.get(instance.action_flag, str(instance.action_flag)),
            "object_id": str(instance.object_id or ""),
            "object": instance.object_repr[:200],
            "message": instance.get_change_message()[:500],
        },
    )


@receiver(pre_save, sender=Membership, dispatch_uid="fq_security_separation")
def keep_duties_apart(sender, instance: Membership, **kw) -> None:
    """One person may not be both the system administrator and the security auditor."""
    if instance.role not in SEPARATED_ROLES or not instance.is_active:
        return
    others = SEPARATED_ROLES - {instance.role}
    clash = (
        Membership.objects.filter(user_id=instance.user_id, role__in=others, is_active=True)
        .exclude(pk=instance.pk)
        .exists()
    )
    if clash:
        audit.record(
            AuditKind.ROLE_REFUSED,
            target=f"user:{instance.user_id}",
            detail={"role": instance.role},
        )
        raise ValidationFailed(
            _("系统管理员与安全审计员不能由同一人担任（三员分立）。"), field="role"
        )
