import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from fengqiao.cases import services as case_services
from fengqiao.cases import tracking
from fengqiao.cases.choices import Action, Channel, Status
from fengqiao.cases.models import Case
from fengqiao.core.validators import mod11_2_check
from fengqiao.portal import services
from fengqiao.portal.tests.helpers import PHONE, appeal_data, open_form, submit

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def _track(client: Client, code: str, last4: str):
    return client.post(reverse("portal:track"), {"code": code, "phone_last4": last4})


def test_home_shows_the_form_with_labels(client, world):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("id_kind", "id_description", "id_township", "id_phone", "id_attachments"):
        assert f'for="{field}"' in html
    assert world.county.name in html  # two counties are served: the citizen picks one
    assert '<html lang="zh-CN">' in html


def test_submit_shows_the_receipt_with_code_and_qr(client, world):
    response = submit(client, world)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response.url == reverse("portal:receipt", args=[case.code])
    assert case.center == world.village_center
    assert case.channel == Channel.WEB
    receipt = client.get(response.url)
    html = receipt.content.decode()
    assert case.code in html
    assert "<svg" in html
    assert "接下来会怎样" in html
    assert world.village_center.name in html


def test_the_receipt_is_only_for_the_browser_that_submitted(client, world):
    response = submit(client, world)
    other = Client()
    assert other.get(response.url).status_code == 404
    assert "回执已失效" in other.get(response.url).content.decode()


def test_a_double_submit_registers_one_case(client, world):
    token = open_form(client)
    data = appeal_data(world, token)
    first = client.post(reverse("portal:home"), data)
    again = client.post(reverse("portal:home"), data)  # refresh, back button, double click
    assert Case.objects.count() == 1
    assert first.url == again.url


def test_a_stale_token_registers_nothing(client, world):
    open_form(client)
    response = client.post(reverse("portal:home"), appeal_data(world, "not-issued"))
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert "页面已过期" in response.content.decode()


def test_invalid_phone_is_refused_with_a_clear_message(client, world):
    response = submit(client, world, phone="12345")
    assert response.status_code == 200
    assert Case.objects.count() == 0
    html = response.content.decode()
    assert "请填写正确的手机号码" in html
    assert 'aria-invalid="true"' in html


def test_missing_place_is_refused(client, world):
    response = submit(client, world, township="", village="")
    assert Case.objects.count() == 0
    assert "请选择事情发生的乡镇（街道）" in response.content.decode()


def test_a_tampered_village_outside_the_township_is_dropped(client, world):
    outside = world.other_township.children.first()
    submit(client, world, village=outside.code)
    case = Case.objects.get()
    assert case.region == world.township
    assert case.center == world.township_center


def test_throttled_phone_gets_a_message(client, world):
    for _ in range(services.limit("phone_per_day")):
        assert submit(client, world).status_code == 302
    response = submit(client, world)
    assert response.status_code == 429
    assert "同一手机号每天最多提交5件诉求" in response.content.decode()
    assert Case.objects.count() == services.limit("phone_per_day")


def test_throttle_message_in_english(client, world):
    client.cookies["django_language"] = "en"
    for _ in range(services.limit("phone_per_day")):
        submit(client, world)
    html = submit(client, world).content.decode()
    assert "at most 5 appeals a day" in html


def test_a_refused_attachment_rolls_back_the_appeal(client, world):
    token = open_form(client)
    data = appeal_data(world, token)
    data["attachments"] = [SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary", "text/plain")]
    response = client.post(reverse("portal:home"), data)
    assert Case.objects.count() == 0
    assert "不支持的文件类型" in response.content.decode()
    # The same form can be sent again once corrected.
    data["attachments"] = [SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)]
    assert client.post(reverse("portal:home"), data).status_code == 302
    case = Case.objects.get()
    assert case.attachments.get().is_public is True


def test_poster_link_preselects_the_center_and_marks_the_channel(client, world):
    page = client.get(reverse("portal:home") + f"?center={world.township_center.pk}")
    html = page.content.decode()
    assert world.township_center.name in html
    assert 'name="via_qr" value="1"' in html
    response = submit(client, world, center_unit=world.township_center, via_qr="1")
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.center == world.township_center
    assert case.channel == Channel.QR


def test_unknown_poster_center_still_lets_the_citizen_submit(client, world):
    response = client.get(reverse("portal:home") + "?center=999999")
    assert response.status_code == 200
    assert "不存在或已停用" in response.content.decode()


def test_region_options_for_htmx(client, world):
    response = client.get(
        reverse("portal:regions"), {"county": world.county.code, "township": world.township.code}
    )
    html = response.content.decode()
    assert world.village.name in html
    assert 'id="region-picker"' in html


def test_track_with_code_and_last4(client, world):
    case = world.register(status=Status.HANDLING, phone=PHONE)
    response = _track(client, case.code, PHONE[-4:])
    assert response.status_code == 302
    assert response.url == reverse("portal:track_case", args=[case.code])
    html = client.get(response.url).content.decode()
    assert "您的诉求已受理" in html
    assert "办理中" in html


def test_wrong_last4_and_wrong_code_give_the_same_message(client, world):
    case = world.register(status=Status.HANDLING, phone=PHONE)
    wrong_digits = _track(client, case.code, "0000").content.decode()
    unknown = case.code[:-6] + "99999"
    unknown += mod11_2_check(unknown)
    wrong_code = _track(client, unknown, PHONE[-4:]).content.decode()
    message = "未找到该案件，请核对编号和手机号后四位"
    assert message in wrong_digits
    assert message in wrong_code


def test_the_qr_path_asks_for_the_digits_first(client, world):
    case = world.register(status=Status.HANDLING, phone=PHONE)
    url = reverse("portal:track_case", args=[case.code])
    page = client.get(url).content.decode()
    assert 'id="id_phone_last4"' in page
    assert "办理经过" not in page
    response = client.post(url, {"phone_last4": PHONE[-4:]})
    assert response.status_code == 302
    assert "办理经过" in client.get(url).content.decode()


def test_wrong_digits_make_the_code_wait_a_little_not_an_hour(client, world, monkeypatch):
    clock = {"now": 1_800_000_000.0}
    monkeypatch.setattr(tracking.time, "time", lambda: clock["now"])
    case = world.register(status=Status.HANDLING, phone=PHONE)
    for n in range(tracking.track_limit("free_failures_per_code") + 1):
        clock["now"] += 5  # others, from other addresses, at the pace allowed
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(
            reverse("portal:track"), {"code": case.code, "phone_last4": "0000"}
        )
    refused = _track(client, case.code, PHONE[-4:])
    assert refused.status_code == 429
    assert "请1秒后再试" in refused.content.decode()
    clock["now"] += 1
    response = _track(client, case.code, PHONE[-4:])
    assert response.status_code == 302  # the citizen is in, a second later


def test_the_wait_is_explained_in_english(client, world, monkeypatch):
    monkeypatch.setattr(tracking.time, "time", lambda: 1_800_000_000.0)
    case = world.register(status=Status.HANDLING, phone=PHONE)
    for _ in range(tracking.track_limit("free_failures_per_code") + 1):
        _track(client, case.code, "0000")
    client.cookies["django_language"] = "en"
    html = _track(client, case.code, PHONE[-4:]).content.decode()
    assert "please try again in 1 second." in html


def test_track_page_never_shows_staff_or_internal_notes(client, world):
    case = world.register(status=Status.CLOSED, phone=PHONE)
    case_services.record_event(
        case=case, action=Action.COMMENT, actor=world.director, note="内部备注：当事人情绪激动"
    )
    _track(client, case.code, PHONE[-4:])
    html = client.get(reverse("portal:track_case", args=[case.code])).content.decode()
    assert "已结案" in html
    for secret in (
        "内部备注",
        "测试说明",
        "director",
        "justice_handler",
        "dispatcher",
        "receptionist",
        "云梦县司法局",
        "张三",
    ):
        assert secret not in html


def test_english_track_page_has_no_chinese_interface_text(client, world):
    case = world.register(status=Status.HANDLING, phone=PHONE)
    client.cookies["django_language"] = "en"
    _track(client, case.code, PHONE[-4:])
    html = client.get(reverse("portal:track_case", args=[case.code])).content.decode()
    assert '<html lang="en">' in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert CJK.findall(text.replace("中文", "")) == []


def test_english_home_has_no_chinese_interface_text(client, world):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:home")).content.decode()
    text = re.sub(r"<select.*?</select>", " ", html, flags=re.S)  # place names are data
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("中文", "").replace(world.county.name, "")
    assert CJK.findall(text) == []


def test_poster_has_the_center_and_a_qr_code(client, world):
    response = client.get(reverse("portal:poster", args=[world.township_center.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.township_center.name in html
    assert "<svg" in html
    assert f"/p/?center={world.township_center.pk}" in html


def test_poster_of_a_missing_center_is_a_clear_404(client, world):
    response = client.get(reverse("portal:poster", args=[999999]))
    assert response.status_code == 404
    assert "未找到该综治中心" in response.content.decode()


def test_rating_form_only_when_closed_and_rating_exists(client, world):
    case = world.register(status=Status.HANDLING, phone=PHONE)
    _track(client, case.code, PHONE[-4:])
    html = client.get(reverse("portal:track_case", args=[case.code])).content.decode()
    assert 'name="satisfaction"' not in html
    assert "结案后可以在这里评价" in html


def test_citizen_rates_a_closed_case(client, world):
    case = world.register(status=Status.CLOSED, phone=PHONE)
    _track(client, case.code, PHONE[-4:])
    url = reverse("portal:track_case", args=[case.code])
    assert 'name="satisfaction"' in client.get(url).content.decode()
    response = client.post(
        reverse("portal:rate", args=[case.code]),
        {"satisfaction": "satisfied", "comment": "调解员很耐心"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "感谢您的评价" in page
    case.refresh_from_db()
    assert case.satisfaction == "satisfied"
    assert 'name="satisfaction"' not in page


def test_rating_needs_a_verified_session(client, world):
    case = world.register(status=Status.CLOSED, phone=PHONE)
    response = client.post(reverse("portal:rate", args=[case.code]), {"satisfaction": "satisfied"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.satisfaction == ""


def test_without_javascript_the_picker_reloads_its_options(client, world):
    token = open_form(client)
    data = appeal_data(world, token, township="", village="")
    data["refresh"] = "1"
    response = client.post(reverse("portal:home"), data)
    html = response.content.decode()
    assert Case.objects.count() == 0
    assert world.township.name in html  # the county's townships are listed now
    assert "请修改以下内容" not in html
    assert "楼上邻居装修噪音很大" in html  # what was typed is kept


def test_english_receipt_and_poster_have_no_chinese_interface_text(client, world):
    client.cookies["django_language"] = "en"
    response = submit(client, world)
    pages = {
        "receipt": client.get(response.url).content.decode(),
        "poster": client.get(
            reverse("portal:poster", args=[world.township_center.pk])
        ).content.decode(),
    }
    data = (world.village_center.name, world.township_center.name, "中文")
    for name, html in pages.items():
        text = re.sub(r"<[^>]+>", " ", html)
        for value in data:
            text = text.replace(value, "")
        assert CJK.findall(text) == [], name


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_the_proxy_each_client_address_is_throttled_apart(client, world):
    limits = {"ip_per_hour": 1, "phone_per_day": 100}
    with override_settings(FENGQIAO_PORTAL_LIMITS=limits):
        first = submit(client, world, HTTP_X_FORWARDED_FOR="1.1.1.1")
        assert first.status_code == 302
        other = submit(client, world, phone="13700002222", HTTP_X_FORWARDED_FOR="2.2.2.2")
        assert other.status_code == 302
        again = submit(client, world, phone="13700003333", HTTP_X_FORWARDED_FOR="9.9.9.9, 1.1.1.1")
        assert again.status_code == 429


def test_query_counts_stay_flat(client, world, django_assert_max_num_queries):
    case = world.register(status=Status.CLOSED, phone=PHONE)
    _track(client, case.code, PHONE[-4:])
    with django_assert_max_num_queries(6):  # session, counties, session save
        client.get(reverse("portal:home"))
    with django_assert_max_num_queries(5):  # session, case, timeline
        client.get(reverse("portal:track_case", args=[case.code]))
    with django_assert_max_num_queries(3):
        client.get(reverse("portal:poster", args=[world.township_center.pk]))


def test_chinese_pages_have_no_english_words(client, world):
    case = world.register(status=Status.CLOSED, phone=PHONE)
    receipt = submit(client, world).url
    _track(client, case.code, PHONE[-4:])
    urls = [
        reverse("portal:home"),
        receipt,
        reverse("portal:track"),
        reverse("portal:track_case", args=[case.code]),
        reverse("portal:poster", args=[world.township_center.pk]),
    ]
    allowed = ("English", "PDF", "Office", "MB", "http", "center", "127.0.0.1")
    for url in urls:
        html = client.get(url).content.decode()
        text = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        text = re.sub(r"https?://\S+", " ", text)  # the tracking link under the QR code
        for word in allowed:
            text = text.replace(word, "")
        assert re.findall(r"[A-Za-z]{2,}", text) == [], url
