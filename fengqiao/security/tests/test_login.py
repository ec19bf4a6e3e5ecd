"""Sign-in limits on every login path, and the sign-in audit."""

import pytest
from django.urls import reverse

from fengqiao.security.login import ADDRESS_FAILURES, SPRAY_USERNAMES
from fengqiao.security.models import AuditEntry, AuditKind

pytestmark = pytest.mark.django_db


def _admin_login(client, username, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


def test_admin_site_locks_after_five_wrong_passwords(client, superuser, password):
    for _ in range(5):
        response = _admin_login(client, "root", "wrong")
        assert response.status_code == 200
    response = _admin_login(client, "root", password)
    assert response.status_code == 200  # the form again, not the admin index
    assert "_auth_user_id" not in client.session
    kinds = list(AuditEntry.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds == [AuditKind.LOGIN_FAILED] * 5 + [AuditKind.LOGIN_LOCKED]


def test_a_lock_earned_on_the_workbench_holds_on_the_admin_site(client, superuser, password):
    for _ in range(5):
        client.post("/login/", {"username": "root", "password": "wrong"})
    response = client.post("/login/", {"username": "root", "password": password})
    assert "账号已锁定" in response.content.decode()
    response = _admin_login(client, "root", password)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_spraying_from_one_address_locks_the_address_not_the_accounts(client, world, password):
    for i in range(SPRAY_USERNAMES):
        client.post("/login/", {"username": f"nobody{i}", "password": "Spring2026!"})
    response = client.post("/login/", {"username": "dispatcher", "password": password})
    assert response.status_code == 400 and "账号已锁定" in response.content.decode()
    # The same account from another address is not locked.
    other = client.post(
        "/login/", {"username": "dispatcher", "password": password}, REMOTE_ADDR="127.0.0.9"
    )
    assert other.status_code == 302


def test_many_failures_from_one_address_lock_it(client, world, password):
    for _ in range(ADDRESS_FAILURES // 4):
        for name in ("receptionist", "dispatcher", "leader", "mediator"):
            client.post("/login/", {"username": name, "password": "wrong"})
    response = client.post("/login/", {"username": "director", "password": password})
    assert response.status_code == 400


def test_sign_ins_are_audited_with_address(client, world, password):
    client.post("/login/", {"username": "dispatcher", "password": "wrong"})
    client.post("/login/", {"username": "dispatcher", "password": password})
    client.post("/logout/")
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.kind for e in entries] == [
        AuditKind.LOGIN_FAILED,
        AuditKind.LOGIN_OK,
        AuditKind.LOGOUT,
    ]
    assert all(e.actor_name == "dispatcher" and e.address == "127.0.0.1" for e in entries)
    assert entries[1].actor_id == world.dispatcher.pk


def test_admin_reviews_sign_ins_and_not_the_admin_trail(client, world, admin_user):
    client.force_login(world.dispatcher)
    client.logout()
    client.force_login(admin_user)
    page = client.get(reverse("security:audit")).content.decode()
    assert "dispatcher" in page and "登录成功" in page
    assert "后台管理变更" not in page.split("<table")[-1]
