"""Case page clocks (pause, resume, extensions), the supervision list and category
correction, as staff see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fengqiao.cases.choices import Status
from fengqiao.supervision.choices import Grade
from fengqiao.supervision.services import issue_automatic, issue_order
from fengqiao.testing.factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def handling(world, commits, **kw):
    with commits():
        return world.register(status=Status.HANDLING, **kw)


def page(client, case) -> str:
    return client.get(reverse("workbench:case", args=[case.code])).content.decode()


def test_handler_pauses_and_resumes_the_clock(client, world, commits):
    case = handling(world, commits)
    client.force_login(world.justice_handler)
    html = page(client, case)
    assert "暂停计时（补充材料）" in html and "恢复计时" not in html
    with commits():
        response = client.post(
            reverse("workbench:clock_pause", args=[case.code]), {"reason": "等待当事人补充材料"}
        )
    assert response.status_code == 302
    html = page(client, case)
    assert "已暂停" in html and "等待当事人补充材料" in html and "恢复计时" in html
    with commits():
        client.post(reverse("workbench:clock_resume", args=[case.code]))
    html = page(client, case)
    assert "已恢复计时" in html and "暂停计时（补充材料）" in html


def test_refused_request_shows_the_service_message(client, world, commits):
    case = handling(world, commits)
    client.force_login(world.dispatcher)  # may pause, may not ask for an extension
    html = page(client, case)
    assert "暂停计时（补充材料）" in html and "提交延期申请" not in html
    response = client.post(
        reverse("workbench:extension_request", args=[case.code]),
        {"days": "5", "reason": "x"},
        follow=True,
    )
    assert "只有主办单位可以申请延期" in response.content.decode()
    assert not case.extension_requests.exists()


def test_extension_request_and_approval_in_history(client, world, commits):
    case = handling(world, commits)
    client.force_login(world.justice_handler)
    assert "提交延期申请" in page(client, case)
    response = client.post(
        reverse("workbench:extension_request", args=[case.code]),
        {"days": "5", "reason": "需等待伤情鉴定结果"},
        follow=True,
    )
    html = response.content.decode()
    assert "延期申请已提交" in html and "待审批" in html and "/decide/" not in html
    ext = case.extension_requests.get()
    old_deadline = case.deadline

    client.force_login(world.dispatcher)
    html = page(client, case)
    assert "批准延期" in html and "提交延期申请" not in html
    english = client.get(
        reverse("workbench:case", args=[case.code]), headers={"Accept-Language": "en"}
    ).content.decode()
    assert "Approve extension" in english and "Correct the category to" in english
    url = reverse("workbench:extension_decide", args=[case.code, ext.pk])
    with commits():
        response = client.post(url, {"approve": "1", "note": "同意"}, follow=True)
    html = response.content.decode()
    assert "已批准" in html and f'action="{url}"' not in html
    case.refresh_from_db()
    assert case.deadline > old_deadline
    assert case.events.filter(note__contains="批准延期5天").exists()
    assert "需等待伤情鉴定结果" in html  # in the requests table and the history


def test_refusal_needs_a_reason(client, world, commits):
    case = handling(world, commits)
    client.force_login(world.justice_handler)
    client.post(
        reverse("workbench:extension_request", args=[case.code]), {"days": "3", "reason": "r"}
    )
    ext = case.extension_requests.get()
    client.force_login(world.director)
    url = reverse("workbench:extension_decide", args=[case.code, ext.pk])
    html = client.post(url, {"approve": "0", "note": ""}, follow=True).content.decode()
    assert "不予延期时请填写理由" in html
    html = client.post(url, {"approve": "0", "note": "材料齐全"}, follow=True).content.decode()
    assert "未批准" in html and "材料齐全" in html


def test_supervision_list_filters_and_scope(client, world, commits):
    case = handling(world, commits)
    other = handling(world, commits, title="另一案件的督办")
    issue_order(case=case, grade=Grade.KEY, requirement="请三日内报告", actor=world.supervisor)
    issue_automatic(
        case=other, grade=Grade.GENERAL, requirement="超期自动督办", reason="overdue", auto_key="t1"
    )
    url = reverse("workbench:supervision")
    client.force_login(world.supervisor)
    html = client.get("/").content.decode()
    assert url in html
    html = client.get(url).content.decode()
    assert case.code in html and other.code in html
    html = client.get(url, {"grade": Grade.KEY}).content.decode()
    assert case.code in html and other.code not in html
    html = client.get(url, {"auto": "1"}).content.decode()
    assert other.code in html and case.code not in html
    html = client.get(url, {"from": "2000-01-01", "to": "2000-01-02"}).content.decode()
    assert "没有符合条件的督办单" in html
    # Another county's dispatcher sees none of them.
    client.force_login(world.other_dispatcher)
    html = client.get(url).content.decode()
    assert case.code not in html and other.code not in html
    # Roles without supervision get neither the link nor the page.
    client.force_login(world.receptionist)
    assert url not in client.get("/").content.decode()
    assert client.get(url).status_code == 403


def test_supervision_list_pages_without_count(client, world, commits, monkeypatch):
    from fengqiao.workbench.views import supervision as views

    monkeypatch.setattr(views, "SUPERVISION_PAGE_SIZE", 1)
    first = handling(world, commits)
    second = handling(world, commits)
    for c in (first, second):
        issue_order(case=c, grade=Grade.GENERAL, requirement="报告", actor=world.supervisor)
    client.force_login(world.supervisor)
    url = reverse("workbench:supervision")
    html = client.get(url).content.decode()
    assert "下一页" in html and (first.code in html) != (second.code in html)
    html = client.get(url, {"page": "2"}).content.decode()
    assert "下一页" not in html and "上一页" in html


def test_dispatcher_corrects_the_category(client, world, commits):
    from fengqiao.routing.models import Correction

    case = handling(world, commits)
    target = category("dispute.land")
    client.force_login(world.justice_handler)
    assert "更正分类" not in page(client, case)
    client.force_login(world.dispatcher)
    assert "更正分类" in page(client, case)
    response = client.post(
        reverse("workbench:category_correct", args=[case.code]),
        {"category": str(target.pk)},
        follow=True,
    )
    assert "分类已更正" in response.content.decode()
    case.refresh_from_db()
    assert case.category == target
    correction = Correction.objects.get(case=case)
    assert correction.corrected == target and correction.actor == world.dispatcher
