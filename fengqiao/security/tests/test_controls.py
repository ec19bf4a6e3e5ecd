"""Password policy and expiry, the second factor, idle timeout, headers, 三员分立."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fengqiao.core.errors import ValidationFailed
from fengqiao.org.choices import Role
from fengqiao.security.middleware import SEEN_KEY
from fengqiao.security.models import AuditEntry, AuditKind, PasswordRecord
from fengqiao.testing.factories import grant

pytestmark = pytest.mark.django_db


def test_password_needs_three_kinds_of_character(world):
    with pytest.raises(ValidationError, match="至少3类"):
        validate_password("abcdefghijkl", world.dispatcher)
    validate_password("Tiankong-2031", world.dispatcher)


def test_a_recent_password_may_not_come_back(client, world, password):
    client.force_login(world.dispatcher)
    new = "Tiankong-2031x"
    form = {"old_password": password, "new_password1": new, "new_password2": new}
    assert client.post("/password/", form).status_code == 302
    back = {"old_password": new, "new_password1": password, "new_password2": password}
    response = client.post("/password/", back)
    assert response.status_code == 200
    assert "最近5次使用过的密码" in response.content.decode()


def test_an_old_password_must_be_changed_first(client, world):
    PasswordRecord.objects.filter(user=world.dispatcher).update(
        created_at=timezone.now() - dt.timedelta(days=91)
    )
    client.force_login(world.dispatcher)
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302 and response["Location"] == reverse("workbench:password")
    assert client.get(reverse("workbench:password")).status_code == 200


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


@override_settings(FENGQIAO_OTP_REQUIRED_ROLES=["admin"])
def test_an_admin_sets_up_and_then_uses_a_second_factor(client, world):
    admin = grant(world.dispatcher, world.county_center, Role.ADMIN).user
    client.force_login(admin)
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302 and response["Location"].startswith("/security/otp/")
    page = client.get(reverse("security:otp")).content.decode()
    assert "otp-secret" in page and "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    response = client.post(reverse("security:otp"), {"token": _code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("workbench:home")).status_code == 200
    # The next session asks for the code again, and a wrong one is refused.
    client.logout()
    client.force_login(admin)
    assert client.get(reverse("workbench:home")).status_code == 302
    response = client.post(reverse("security:otp"), {"token": "123"})
    assert "动态口令不正确" in response.content.decode()
    kinds = set(AuditEntry.objects.values_list("kind", flat=True))
    assert {AuditKind.OTP_ENROLLED, AuditKind.OTP_FAILED} <= kinds


def test_roles_not_named_need_no_second_factor(client, world):
    client.force_login(world.director)
    assert client.get(reverse("workbench:home")).status_code == 200


def test_an_idle_session_ends(client, world):
    client.force_login(world.dispatcher)
    assert client.get(reverse("workbench:home")).status_code == 200
    session = client.session
    session[SEEN_KEY] -= 31 * 60
    session.save()
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get(reverse("workbench:home"))["Location"].startswith("/login/")
    assert AuditEntry.objects.filter(kind=AuditKind.SESSION_EXPIRED).exists()


def test_staff_pages_are_not_cached(client, world):
    client.force_login(world.dispatcher)
    assert client.get(reverse("workbench:home"))["Cache-Control"] == "no-store"
    assert client.get(reverse("workbench:home"))["X-Frame-Options"] == "DENY"


def test_one_person_cannot_be_administrator_and_auditor(world, admin_user):
    with pytest.raises(ValidationFailed, match="三员分立"):
        grant(admin_user, world.county_center, Role.AUDITOR)
    grant(world.director, world.county_center, Role.AUDITOR)  # another person may


def test_the_demo_has_a_security_auditor_once(world):
    from types import SimpleNamespace

    from fengqiao.demo import security as demo_security
    from fengqiao.org.models import Membership

    org = SimpleNamespace(users={}, county_center=world.county_center)
    demo_security.build(org, log=lambda _m: None)
    demo_security.build(org, log=lambda _m: None)
    assert Membership.objects.filter(user__username="shenji", role=Role.AUDITOR).count() == 1
    assert org.users["shenji"].check_password("Fengqiao@2026")
