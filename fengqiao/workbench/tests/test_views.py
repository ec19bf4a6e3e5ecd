"""Staff pages: scope, login lockout, role switcher, registration, actions, list queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.cases.actors import sweep_actor
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.org.choices import Role
from fengqiao.testing.factories import PASSWORD, grant

pytestmark = pytest.mark.django_db

VALID_ID = "42092319900307001X"  # check digit computed with ISO 7064 MOD 11-2


def valid_id() -> str:
    from fengqiao.core.validators import mod11_2_check

    body = "42092319900307001"
    return body + mod11_2_check(body)


def login(client, user):
    client.force_login(user)
    return client


def register_payload(world, **over):
    data = {
        "channel": "window",
        "title": "邻居装修噪音扰民",
        "description": "楼上邻居夜间装修，多次沟通无果，请求调解。",
        "category": "",
        "region": world.village.code,
        "address": "城关镇幸福路8号",
        "people_count": "2",
        "risk_level": "blue",
        "applicant_name": "李四",
        "applicant_phone": "13912345678",
        "applicant_id_number": valid_id(),
        "applicant_address": "",
        "respondent_kind": "person",
        "respondent_name": "",
        "respondent_phone": "",
        "respondent_id_number": "",
        "note": "",
    }
    data.update(over)
    return data


# --- login, lockout, logout, password ------------------------------------------------------


def test_pages_need_login(client, world):
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_and_logout(client, world):
    response = client.post("/login/", {"username": "dispatcher", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_lockout_after_five_failures(client, world):
    for i in range(4):
        response = client.post("/login/", {"username": "dispatcher", "password": "wrong"})
        assert "用户名或密码不正确" in response.content.decode()
        assert f"还可尝试{4 - i}次" in response.content.decode()
    response = client.post("/login/", {"username": "dispatcher", "password": "wrong"})
    assert "账号已锁定" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post("/login/", {"username": "dispatcher", "password": PASSWORD})
    assert response.status_code == 400
    assert "账号已锁定" in response.content.decode()


def test_lock_runs_out(client, world):
    from fengqiao.workbench import services
    from fengqiao.workbench.models import LoginThrottle

    for _ in range(5):
        client.post("/login/", {"username": "dispatcher", "password": "wrong"})
    LoginThrottle.objects.filter(username="dispatcher").update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert services.lock_remaining("dispatcher") == 0
    response = client.post("/login/", {"username": "dispatcher", "password": PASSWORD})
    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(username="dispatcher").exists()


def test_password_change(client, world):
    login(client, world.dispatcher)
    response = client.post(
        "/password/",
        {"old_password": "bad", "new_password1": "x", "new_password2": "y"},
    )
    assert response.status_code == 200
    assert "旧密码不正确" in response.content.decode() or "密码" in response.content.decode()
    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Qiao-feng-2027!",
            "new_password2": "Qiao-feng-2027!",
        },
    )
    assert response.status_code == 302
    world.dispatcher.refresh_from_db()
    assert world.dispatcher.check_password("Qiao-feng-2027!")


# --- home, switcher, scope -----------------------------------------------------------------


def test_home_worklists_by_role(client, world):
    world.register(status=Status.REGISTERED)
    world.register(status=Status.DISPATCHED)
    world.register(status=Status.RESOLVED)
    login(client, world.director)
    body = client.get("/").content.decode()
    assert "待分流" in body and "待审核" in body and "即将超期" in body and "督办中" in body
    login(client, world.justice_handler)
    response = client.get("/?list=to_sign")
    body = response.content.decode()
    assert "待签收" in body and "办理中" in body
    codes = [c.code for c in response.context["page"].rows]
    assert len(codes) == 1


def test_role_switcher_changes_worklists_and_scope(client, world):
    user = world.dispatcher
    handler_membership = grant(user, world.justice, Role.HANDLER)
    case = world.register(status=Status.DISPATCHED)
    login(client, user)
    body = client.get("/").content.decode()
    assert 'id="role-switch"' in body
    assert "待分流" in body
    response = client.post("/role/", {"membership": handler_membership.pk, "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.context["membership"].pk == handler_membership.pk
    assert response.context["counts"][0].key == "to_sign"
    # As handler the user may sign; as dispatcher they may not.
    body = client.get(f"/cases/{case.code}/").content.decode()
    assert 'id="action-sign"' in body
    # A membership of someone else is ignored.
    other = world.police_handler.memberships.first()
    client.post("/role/", {"membership": other.pk})
    assert client.get("/").context["membership"].pk == handler_membership.pk


def test_out_of_scope_case_looks_missing(client, world):
    case = world.register()
    login(client, world.other_dispatcher)
    response = client.get(f"/cases/{case.code}/")
    assert response.status_code == 404
    assert "不在您当前角色的查看范围内" in response.content.decode()
    missing = client.get("/cases/42092320260101000019/")
    assert missing.status_code == 404
    assert missing.content.decode().count("未找到案件") == response.content.decode().count(
        "未找到案件"
    )


def test_search_and_filters(client, world):
    a = world.register(title="宅基地边界纠纷", phone="13700001111")
    b = world.register(title="欠薪讨要", phone="13700002222")
    login(client, world.dispatcher)
    rows = client.get("/cases/", {"q": "13700001111"}).context["page"].rows
    assert [c.code for c in rows] == [a.code]
    rows = client.get("/cases/", {"q": b.code}).context["page"].rows
    assert [c.code for c in rows] == [b.code]
    rows = client.get("/cases/", {"q": "宅基地"}).context["page"].rows
    assert [c.code for c in rows] == [a.code]
    rows = client.get("/cases/", {"q": "张三"}).context["page"].rows
    assert {c.code for c in rows} == {a.code, b.code}
    rows = client.get("/cases/", {"region": world.other_township.code}).context["page"].rows
    assert rows == []
    body = client.get("/cases/", {"region": world.other_township.code}).content.decode()
    assert "没有符合条件的案件" in body
    rows = client.get("/cases/", {"risk": "red"}).context["page"].rows
    assert rows == []
    today = timezone.localdate().isoformat()
    rows = client.get("/cases/", {"date_from": today, "sort": "code"}).context["page"].rows
    assert [c.code for c in rows] == sorted([a.code, b.code])
    partial = client.get(
        "/cases/", {"q": "欠薪"}, headers={"HX-Request": "true", "HX-Target": "case-list"}
    )
    assert "<html" not in partial.content.decode()
    assert b.code in partial.content.decode()


def test_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    for i in range(30):
        world.register(title=f"纠纷{i}", phone=f"1390000{i:04d}")
    login(client, world.dispatcher)
    client.get("/cases/")  # warm the session
    # session, user, memberships, unread count, categories, region suggestions, cases,
    # applicants (one prefetch for the whole page)
    with django_assert_num_queries(8):
        response = client.get("/cases/")
    assert len(response.context["page"].rows) == 25
    assert response.context["page"].has_next
    page2 = client.get("/cases/", {"page": 2}).context["page"]
    assert len(page2.rows) == 5 and not page2.has_next


def test_home_queries_are_pinned(client, world, django_assert_max_num_queries):
    for _ in range(5):
        world.register()
    login(client, world.director)
    client.get("/")
    # session + user + memberships + one count per worklist (6) + list (2) + categories
    # + region suggestions
    with django_assert_max_num_queries(14):
        client.get("/")


# --- registration ----------------------------------------------------------------------------


def test_register_case_shows_receipt(client, world):
    login(client, world.receptionist)
    page = client.get("/cases/new/")
    assert page.status_code == 200
    assert 'name="region"' in page.content.decode()
    response = client.post("/cases/new/", register_payload(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(title="邻居装修噪音扰民")
    assert response["Location"] == f"/cases/{case.code}/receipt/"
    receipt = client.get(response["Location"]).content.decode()
    assert case.code in receipt and "<svg" in receipt and f"/p/track/{case.code}/" in receipt
    assert "139****5678" in receipt and "13912345678" not in receipt


def test_register_twice_with_the_same_form_gives_one_case(client, world):
    login(client, world.receptionist)
    token = client.get("/cases/new/").context["form_token"]
    first = client.post("/cases/new/", register_payload(world, form_token=token))
    second = client.post("/cases/new/", register_payload(world, form_token=token))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.filter(title="邻居装修噪音扰民").count() == 1


def test_register_validation_messages_in_chinese(client, world):
    login(client, world.receptionist)
    bad_id = valid_id()[:-1] + ("0" if valid_id()[-1] != "0" else "1")
    response = client.post(
        "/cases/new/",
        register_payload(
            world, title="", applicant_phone="12345678901", applicant_id_number=bad_id
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "此项为必填项" in body
    assert "手机号码应为1开头的11位数字" in body
    assert "身份证号码校验位不正确" in body
    response = client.post(
        "/cases/new/", register_payload(world, applicant_id_number="4209231990", region="")
    )
    body = response.content.decode()
    assert "身份证号码应为18位" in body
    assert "请选择发生地" in body


def test_register_outside_center_region_is_refused(client, world):
    login(client, world.receptionist)
    response = client.post("/cases/new/", register_payload(world, region="420902001"))
    assert response.status_code == 400
    assert "请选择本中心辖区内的发生地" in response.content.decode()


def test_region_picker_cascades(client, world):
    login(client, world.receptionist)
    body = client.get("/cases/new/regions/", {"region": world.township.code}).content.decode()
    assert world.village.name in body
    assert body.count("<select") == 2


def test_duplicate_warning(client, world):
    old = world.register(phone="13600001234")
    login(client, world.receptionist)
    body = client.post(
        "/cases/new/check/", {"applicant_phone": "136 0000 1234", "title": "", "region": ""}
    ).content.decode()
    assert old.code in body and "相关案件" in body
    body = client.post("/cases/new/check/", {"applicant_phone": "13600009999"}).content.decode()
    assert "未发现" in body


def test_leader_cannot_register(client, world):
    login(client, world.leader)
    response = client.get("/cases/new/")
    assert response.status_code == 403
    assert "当前角色不能登记案件" in response.content.decode()


# --- detail, reveal, actions ---------------------------------------------------------------


def test_detail_masks_and_reveal_is_logged(client, world):
    case = world.register(phone="13811112222", id_number=valid_id())
    login(client, world.dispatcher)
    body = client.get(f"/cases/{case.code}/").content.decode()
    assert "138****2222" in body and "13811112222" not in body
    assert "张*" in body and "张三" not in body
    party = case.parties.first()
    response = client.post(f"/cases/{case.code}/reveal/{party.pk}/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "13811112222" in response.content.decode() and valid_id() in response.content.decode()
    event = CaseEvent.objects.filter(case=case, action=Action.REVEAL).get()
    assert event.actor == world.dispatcher


def test_leader_may_not_reveal(client, world):
    case = world.register()
    login(client, world.leader)
    body = client.get(f"/cases/{case.code}/").content.decode()
    assert "查看完整信息" not in body
    party = case.parties.first()
    response = client.post(f"/cases/{case.code}/reveal/{party.pk}/", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert not CaseEvent.objects.filter(case=case, action=Action.REVEAL).exists()


def test_only_allowed_actions_are_offered(client, world):
    case = world.register()
    login(client, world.dispatcher)
    body = client.get(f"/cases/{case.code}/").content.decode()
    for action in ("dispatch", "mediate", "reject", "withdraw", "escalate", "delegate"):
        assert f'id="action-{action}"' in body
    assert 'id="action-sign"' not in body and 'id="action-close"' not in body
    login(client, world.justice_handler)
    assert client.get(f"/cases/{case.code}/").status_code == 404


def test_full_loop_through_the_pages(client, world):
    case = world.register()
    login(client, world.dispatcher)
    response = client.post(
        f"/cases/{case.code}/act/dispatch/",
        {"dispatch-lead_unit": world.justice.pk, "dispatch-co_units": [world.police.pk],
         "dispatch-expected_version": case.version},
    )  # fmt: skip
    assert response.status_code == 302
    login(client, world.justice_handler)
    assert client.post(f"/cases/{case.code}/act/sign/", {}).status_code == 302
    response = client.post(f"/cases/{case.code}/act/resolve/", {"resolve-result": ""})
    assert response.status_code == 400
    assert "请填写办理结果" in response.content.decode()
    # The co-handling police station has not reported its part: the lead cannot resolve.
    response = client.post(
        f"/cases/{case.code}/act/resolve/", {"resolve-result": "双方达成调解协议"}
    )
    assert response.status_code == 400
    assert "尚未反馈" in response.content.decode()
    login(client, world.police_handler)
    response = client.post(f"/cases/{case.code}/co-report/", {"co-report": "已出警核实"})
    assert response.status_code == 302
    login(client, world.justice_handler)
    response = client.post(
        f"/cases/{case.code}/act/resolve/", {"resolve-result": "双方达成调解协议"}
    )
    assert response.status_code == 302
    login(client, world.director)
    assert client.post(f"/cases/{case.code}/act/close/", {}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.assignments.filter(unit=world.police, status="reported").exists()


def test_return_needs_a_reason_and_stale_version_is_refused(client, world):
    case = world.register(status=Status.DISPATCHED)
    login(client, world.justice_handler)
    response = client.post(f"/cases/{case.code}/act/return/", {"return-note": ""})
    assert "请填写理由或说明" in response.content.decode()
    response = client.post(
        f"/cases/{case.code}/act/return/",
        {"return-note": "不属于本单位职责", "return-expected_version": case.version - 1},
    )
    assert response.status_code == 400
    assert "已被他人处理" in response.content.decode()
    response = client.post(
        f"/cases/{case.code}/act/return/",
        {"return-note": "不属于本单位职责", "return-expected_version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REGISTERED


def test_action_not_allowed_is_refused(client, world):
    case = world.register()
    login(client, world.receptionist)
    response = client.post(f"/cases/{case.code}/act/close/", {})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REGISTERED


def test_supervise_and_reply(client, world):
    case = world.register(status=Status.HANDLING)
    login(client, world.supervisor)
    deadline = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/cases/{case.code}/supervise/",
        {"sv-grade": "key", "sv-requirement": "三日内报告进展", "sv-reply_deadline": deadline},
    )
    assert response.status_code == 302
    order = case.supervision_orders.get()
    body = client.get("/?list=supervised").content.decode()
    assert case.code in body
    login(client, world.justice_handler)
    response = client.post(
        f"/cases/{case.code}/supervision/{order.pk}/reply/", {"rp-text": "已约双方面谈"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "replied"


def test_attachment_upload(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    case = world.register()
    login(client, world.receptionist)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    response = client.post(
        f"/cases/{case.code}/attach/", {"file": SimpleUploadedFile("现场.png", png)}
    )
    assert response.status_code == 302
    assert case.attachments.count() == 1
    response = client.post(
        f"/cases/{case.code}/attach/", {"file": SimpleUploadedFile("a.exe", b"MZ" + b"0" * 20)}
    )
    assert "不支持的文件类型" in client.get(f"/cases/{case.code}/").content.decode()


# --- management ------------------------------------------------------------------------------


def test_management_pages_for_directors_only(client, world):
    login(client, world.director)
    for name in ("units", "staff", "categories", "regions"):
        assert client.get(f"/manage/{name}/").status_code == 200
    body = client.get("/manage/units/").content.decode()
    assert "云梦县司法局" in body and "孝感" not in body.split("</header>")[1]
    body = client.get("/manage/regions/", {"code": world.township.code}).content.decode()
    assert world.village.name in body
    login(client, world.dispatcher)
    assert client.get("/manage/units/").status_code == 403


def test_an_admin_manages_the_whole_deployment(client, world):
    """The admin sees every unit and person, the other county's too; a director only theirs."""
    from fengqiao.testing.factories import staff

    admin = staff(world.county_center, Role.ADMIN, "deployment_admin")
    login(client, admin)
    units = client.get("/manage/units/").content.decode()
    assert "暂无单位" not in units
    assert world.justice.name in units and world.other_county_center.name in units
    people = client.get("/manage/staff/").content.decode()
    assert "暂无人员" not in people and "other_dispatcher" in people
    login(client, world.director)
    assert world.other_county_center.name not in client.get("/manage/units/").content.decode()


# --- inbox, tokens, worklists of other apps --------------------------------------------------


def test_inbox_shows_and_marks_messages(client, world):
    from fengqiao.notifications.services import notify

    login(client, world.dispatcher)
    body = client.get("/inbox/").content.decode()
    assert "没有消息" in body
    notify(
        recipients=[world.dispatcher], title="新派单提醒", body="请及时处理", link="/", kind="test"
    )
    body = client.get("/").content.decode()
    assert 'class="badge"' in body
    body = client.get("/inbox/").content.decode()
    assert "新派单提醒" in body
    client.post("/inbox/", {})
    assert 'class="badge"' not in client.get("/").content.decode()


def test_api_tokens_create_and_revoke(client, world):
    from fengqiao.api.models import ApiToken

    login(client, world.dispatcher)
    assert "您还没有接口令牌" in client.get("/tokens/").content.decode()
    response = client.post("/tokens/", {"name": "12345对接"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=world.dispatcher)
    assert 'id="new-token"' in body and f"fq_{token.prefix}_" in body
    response = client.post("/tokens/", {"revoke": token.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "fq_" not in client.get("/tokens/").content.decode().split("<tbody>")[0]
    response = client.post("/tokens/", {"name": ""})
    assert response.status_code == 400


def test_overdue_worklist(client, world):
    from fengqiao.cases.services import update_case

    case = world.register(status=Status.HANDLING)
    update_case(case=case, changes={"is_overdue": True}, actor=sweep_actor("test"))
    login(client, world.dispatcher)
    response = client.get("/?list=overdue")
    assert [c.code for c in response.context["page"].rows] == [case.code]
    counts = {w.key: w.count for w in response.context["counts"]}
    assert counts["overdue"] == 1 and counts["to_dispatch"] == 0


def test_related_cases_stay_within_scope(client, world):
    from fengqiao.cases.services import link_cases

    mine = world.register(title="本县案件")
    related = world.register(title="本县相关案件")
    foreign = world.register(
        title="外县案件", center=world.other_county_center, region=world.other_county_center.region
    )
    link_cases(case=mine, other=related, kind="same_party")
    link_cases(case=mine, other=foreign, kind="same_party")
    login(client, world.dispatcher)
    body = client.get(f"/cases/{mine.code}/").content.decode()
    assert related.code in body
    assert foreign.code not in body and "外县案件" not in body


def test_detail_queries_are_pinned(client, world, django_assert_max_num_queries):
    case = world.register(status=Status.HANDLING)
    login(client, world.director)
    client.get(f"/cases/{case.code}/")
    # session, user, memberships, case, assignments, orders (+replies prefetch when any),
    # links, parties, events, attachments, clocks, visit task, region, units, unread,
    # category, user; extension requests (with a clock), categories for the correction form
    # (routing comes with the case)
    with django_assert_max_num_queries(19):
        client.get(f"/cases/{case.code}/")


def test_layout_serves_pages_of_other_apps(client, world):
    """Analytics extends the workbench layout: the navigation and the role still show."""
    login(client, world.director)
    response = client.get("/analytics/")
    if response.status_code == 404:
        pytest.skip("no analytics pages")
    body = response.content.decode()
    assert "我的工作" in body and "中心主任" in body and "统计分析" in body


def test_column_headers_sort(client, world):
    a = world.register(title="甲")
    b = world.register(title="乙")
    login(client, world.dispatcher)
    body = client.get("/cases/").content.decode()
    assert 'aria-sort="descending"' in body and "sort=registered_at" in body
    rows = client.get("/cases/", {"sort": "registered_at"}).context["page"].rows
    assert [c.code for c in rows] == [a.code, b.code]
    rows = client.get("/cases/", {"sort": "-registered_at"}).context["page"].rows
    assert [c.code for c in rows] == [b.code, a.code]
    for key in ("deadline", "-deadline", "-risk", "code"):
        response = client.get("/cases/", {"sort": key})
        assert response.context["filter_form"].is_valid(), key


def test_visit_back_archives_a_satisfied_case(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = world.register(status=Status.CLOSED)
    login(client, world.director)
    body = client.get(f"/cases/{case.code}/").content.decode()
    if 'id="action-visit"' not in body:
        pytest.skip("no visit tasks (followup app absent)")
    assert 'id="action-archive"' not in body
    response = client.post(
        f"/cases/{case.code}/visit/",
        {"vs-method": "phone", "vs-reached": "on", "vs-satisfaction": "", "vs-comment": ""},
    )
    assert response.status_code == 400
    response = client.post(
        f"/cases/{case.code}/visit/",
        {"vs-method": "phone", "vs-reached": "on", "vs-satisfaction": "satisfied",
         "vs-reached_person": "张三", "vs-comment": "群众表示满意"},
    )  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED
