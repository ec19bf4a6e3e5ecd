"""Background work of participation (Django tasks; the database queue in production)."""

from __future__ import annotations

from django.tasks import task

from fengqiao.participation.services.notices import send_sms_for


@task()
def send_notice_sms(notice_id: int) -> int:
    """Queue the SMS of one notice to each of its recipients (safe to run again)."""
    return send_sms_for(notice_id)
