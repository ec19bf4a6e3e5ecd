"""Partners: created with an API key and an HMAC secret shown once; mappings of codes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from fengqiao.cases.models import Category
from fengqiao.core import crypto
from fengqiao.core.errors import ValidationFailed
from fengqiao.integrations.choices import MappingKind, PartnerKind
from fengqiao.integrations.models import Mapping, Partner
from fengqiao.integrations.services.signing import new_secret
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit
from fengqiao.regions.models import Region


@dataclass(frozen=True)
class Credentials:
    partner: Partner
    api_key: str
    secret: str


def key_digest(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def partner_for_key(api_key: str) -> Partner | None:
    """The active partner holding this API key, or None."""
    if not api_key:
        return None
    return (
        Partner.objects.select_related("center")
        .filter(key_digest=key_digest(api_key), is_active=True)
        .first()
    )


@transaction.atomic
def create_partner(
    *, code: str, name: str, kind: str, center: Unit, callback_url: str = ""
) -> Credentials:
    """A new partner with a fresh key and secret (the only time they are readable)."""
    if kind not in PartnerKind.values:
        raise ValidationFailed(_("对接系统类型无效。"), field="kind")
    if center.kind != UnitKind.CENTER:
        raise ValidationFailed(_("请选择一个有效的综治中心。"), field="center")
    if Partner.objects.filter(code=code).exists():
        raise ValidationFailed(_("系统代码“%(code)s”已存在。") % {"code": code}, field="code")
    api_key = "fq_" + secrets.token_urlsafe(24)
    secret = new_secret()
    partner = Partner.objects.create(
        code=code,
        name=name,
        kind=kind,
        center=center,
        callback_url=callback_url,
        key_prefix=api_key[:8],
        key_digest=key_digest(api_key),
        secret_enc=crypto.encrypt(secret),
    )
    return Credentials(partner, api_key, secret)


def rotate_credentials(partner: Partner) -> Credentials:
    api_key = "fq_" + secrets.token_urlsafe(24)
    secret = new_secret()
    partner.key_prefix = api_key[:8]
    partner.key_digest = key_digest(api_key)
    partner.secret_enc = crypto.encrypt(secret)
    partner.save(update_fields=["key_prefix", "key_digest", "secret_enc"])
    return Credentials(partner, api_key, secret)


def set_mapping(*, partner: Partner, kind: str, external_code: str, internal_code: str) -> Mapping:
    """Map a partner's code to our category or region (checked to exist)."""
    if kind == MappingKind.CATEGORY and not Category.objects.filter(code=internal_code).exists():
        raise ValidationFailed(
            _("类别“%(code)s”不存在。") % {"code": internal_code}, field="internal_code"
        )
    if kind == MappingKind.REGION and not Region.objects.filter(code=internal_code).exists():
        raise ValidationFailed(
            _("区划“%(code)s”不存在。") % {"code": internal_code}, field="internal_code"
        )
    mapping, _created = Mapping.objects.update_or_create(
        partner=partner,
        kind=kind,
        external_code=external_code,
        defaults={"internal_code": internal_code},
    )
    return mapping
