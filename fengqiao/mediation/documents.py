"""The 调解协议书 as a PDF in the official layout (the shared :mod:`fengqiao.core.pdf`)."""

from __future__ import annotations

import base64

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from fengqiao.cases.choices import PartyRole
from fengqiao.cases.qr import qr_svg
from fengqiao.core.pdf import render_pdf
from fengqiao.mediation.choices import ParticipantRole
from fengqiao.mediation.models import Agreement
from fengqiao.mediation.services.agreements import format_code

PARTY_LABELS = {
    PartyRole.APPLICANT: "申请人",
    PartyRole.RESPONDENT: "被申请人",
    PartyRole.OTHER: "当事人",
}
CN_DIGITS = "〇一二三四五六七八九"


def verify_url(agreement: Agreement) -> str:
    return (
        f"{settings.PUBLIC_BASE_URL}{reverse('mediation_public:verify')}"
        f"?code={agreement.verification_code}"
    )


def _data_uri(signature) -> str:
    try:
        with signature.image.open("rb") as f:
            data = f.read()
    except (OSError, ValueError):
        return ""
    ctype = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{ctype};base64,{base64.b64encode(data).decode()}"


def cn_date(value) -> str:
    """2026年12月2日 (the date written on official documents)."""
    d = timezone.localtime(value).date() if hasattr(value, "hour") else value
    return f"{d.year}年{d.month}月{d.day}日"


def agreement_context(agreement: Agreement) -> dict:
    session = agreement.session
    signatures = list(agreement.signatures.all())
    by_key = {(s.role, s.party_id): s for s in signatures}
    parties = []
    for row in agreement.parties:
        role = (
            ParticipantRole.APPLICANT
            if row["role"] == PartyRole.APPLICANT
            else (
                ParticipantRole.RESPONDENT
                if row["role"] == PartyRole.RESPONDENT
                else ParticipantRole.OTHER
            )
        )
        sig = by_key.get((role, row["party"]))
        parties.append(
            {
                **row,
                "label": PARTY_LABELS.get(row["role"], "当事人"),
                "signature": _data_uri(sig) if sig else "",
            }
        )
    mediator_sig = by_key.get((ParticipantRole.MEDIATOR, None))
    url = verify_url(agreement)
    organization = session.organization.name if session.organization_id else session.center.name
    return {
        "a": agreement,
        "parties": parties,
        "mediator": session.mediator,
        "mediator_signature": _data_uri(mediator_sig) if mediator_sig else "",
        "organization": organization,
        "terms_lines": [line for line in agreement.terms.splitlines() if line.strip()],
        "code": format_code(agreement.verification_code),
        "verify_url": url,
        "qr": qr_svg(url, scale=2),
        "date": cn_date(agreement.signed_at or agreement.created_at),
        "session_date": cn_date(session.held_at or session.starts_at),
        "copies": CN_DIGITS[len(parties) + 1] if len(parties) + 1 < 10 else str(len(parties) + 1),
        "draft": agreement.status == "draft",
    }


def agreement_pdf(agreement: Agreement) -> bytes:
    return render_pdf("mediation/agreement_pdf.html", agreement_context(agreement))
