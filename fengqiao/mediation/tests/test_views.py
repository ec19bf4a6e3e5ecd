"""The mediation pages, staff and portal, through the test client."""

import json
import re
import zlib

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fengqiao.cases.choices import Status
from fengqiao.mediation import services
from fengqiao.mediation.choices import Outcome, RequestStatus
from fengqiao.mediation.models import Agreement, MediatorRequest
from fengqiao.testing.factories import PASSWORD

from .conftest import PNG, RESPONDENT_PHONE, at


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_public_directory_shows_published_entries_only(client, world, med):
    med.li.is_published = False
    med.li.save()
    response = client.get(reverse("mediation_public:directory"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "周桂兰" in text and "胡律师" in text and "李德明" not in text
    assert "云梦话" in text and "首席" in text


def test_public_directory_filters(client, world, med):
    response = client.get(reverse("mediation_public:directory"), {"kind": "legal_expert"})
    text = response.content.decode()
    assert "胡律师" in text and "周桂兰" not in text
    response = client.get(reverse("mediation_public:directory"), {"language": "云梦"})
    assert "周桂兰" in response.content.decode() and "胡律师" not in response.content.decode()


def test_public_directory_queries_do_not_grow(client, world, med):
    client.get(reverse("mediation_public:directory"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("mediation_public:directory"))
    for i in range(5):
        services.save_mediator(
            data=services.MediatorIn(name=f"调解员{i}", center=world.county_center), actor=None
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("mediation_public:directory"))
    assert len(many) == len(few)


def test_profile_of_an_unpublished_mediator_is_missing(client, world, med):
    med.li.is_published = False
    med.li.save()
    assert client.get(reverse("mediation_public:profile", args=[med.li.pk])).status_code == 404
    response = client.get(reverse("mediation_public:profile", args=[med.zhou.pk]))
    assert response.status_code == 200 and "周一 09:00–12:00" in response.content.decode()


def test_citizen_chooses_after_verifying(client, world, med, case):
    url = reverse("mediation_public:choose", args=[case.code])
    response = client.get(url)
    assert "联系电话的后四位" in response.content.decode()
    response = client.post(url, {"phone_last4": "9999"})
    assert "未找到该案件" in response.content.decode()
    response = client.post(url, {"phone_last4": "8000"})
    assert response.status_code == 302
    response = client.post(url, {"mediator": med.zhou.pk, "note": "希望女调解员"})
    assert response.status_code == 302
    request = MediatorRequest.objects.get(case=case)
    assert request.mediator == med.zhou and request.requested_by == "citizen"
    assert "等待综治中心确认" in client.get(url).content.decode()


def test_citizen_verified_on_the_tracking_page_is_not_asked_again(client, world, med, case):
    session = client.session
    session["portal_verified"] = {case.code: "8000"}
    session.save()
    response = client.get(reverse("mediation_public:choose", args=[case.code]))
    assert "周桂兰" in response.content.decode()


def test_citizen_sees_why_a_mediator_is_refused(client, world, med, case):
    med.li.set_phone(RESPONDENT_PHONE)
    med.li.save()
    url = reverse("mediation_public:choose", args=[case.code])
    client.post(url, {"phone_last4": "8000"})
    response = client.post(url, {"mediator": med.li.pk})
    assert response.status_code == 200
    assert "应当回避" in response.content.decode()
    assert not MediatorRequest.objects.exists()


def test_window_chooses_from_the_workbench_case_page(client, world, med, case):
    login(client, world.receptionist)
    page = client.get(reverse("workbench:case", args=[case.code]))
    assert 'id="mediation"' in page.content.decode()
    section = client.get(reverse("mediation:case_section", args=[case.code])).content.decode()
    assert "窗口代群众点单" in section
    response = client.post(
        reverse("mediation:request", args=[case.code]),
        {"mediator": med.zhou.pk, "next": "workbench"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#mediation")
    assert MediatorRequest.objects.get(case=case).requested_by == "staff"


def test_dispatcher_confirms_on_the_case_page(client, world, med, case):
    request = services.request_mediator(case=case, mediator=med.zhou, by="citizen")
    login(client, world.dispatcher)
    assert "确认点单" in client.get(reverse("mediation:case", args=[case.code])).content.decode()
    client.post(reverse("mediation:decide", args=[request.pk]), {"decision": "confirm"})
    request.refresh_from_db()
    assert request.status == RequestStatus.CONFIRMED


def test_case_out_of_scope_looks_missing(client, world, med, case):
    login(client, world.other_dispatcher)
    response = client.get(reverse("mediation:case", args=[case.code]))
    assert response.status_code == 404


def _embeds_cjk_font(pdf: bytes) -> bool:
    """A font file is embedded and it is the CJK one (objects are compressed in streams)."""
    text = pdf
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(raw)
        except zlib.error:
            continue
    return b"/FontFile" in text and b"CJK" in text


def _session_with_agreement(world, med, case):
    session = services.schedule_session(
        case=case,
        mediator=med.zhou,
        starts_at=at(1),
        ends_at=at(1, 11),
        mode="room",
        room=med.room,
        actor=world.mediator,
    )
    return session


def test_session_outcome_form_leads_to_the_agreement(client, world, med, case):
    session = _session_with_agreement(world, med, case)
    login(client, world.mediator)
    response = client.post(
        reverse("mediation:session", args=[session.pk]),
        {
            "outcome": "success",
            "notes": "双方同意",
            "facts": "排水沟堵塞",
            "terms": "一、疏通；\n二、赔偿800元。",
            "performance": "三日内",
        },
    )
    agreement = Agreement.objects.get(session=session)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/agreements/{agreement.pk}/"
    )
    page = client.get(response["Location"]).content.decode()
    assert agreement.number in page and "确认签字" in page


def test_outcome_form_asks_for_the_terms(client, world, med, case):
    session = _session_with_agreement(world, med, case)
    login(client, world.mediator)
    response = client.post(reverse("mediation:session", args=[session.pk]), {"outcome": "success"})
    assert response.status_code == 200 and "调解成功时请填写此项" in response.content.decode()
    response = client.post(
        reverse("mediation:session", args=[session.pk]), {"outcome": "failed", "notes": "a\x00b"}
    )
    assert response.status_code == 200


def test_agreement_pdf_and_public_check(client, world, med, case):
    session = _session_with_agreement(world, med, case)
    services.record_outcome(
        session=session,
        outcome=Outcome.SUCCESS,
        actor=world.mediator,
        agreement=services.AgreementIn("排水沟堵塞", "一、疏通；"),
    )
    agreement = session.agreement
    for party in case.parties.all():
        services.sign_agreement(
            agreement=agreement,
            role=party.role,
            name=party.name,
            party=party,
            method="screen",
            image=PNG,
            actor=world.mediator,
        )
    login(client, world.mediator)
    pdf = client.get(reverse("mediation:agreement_pdf", args=[agreement.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert _embeds_cjk_font(pdf.content)
    client.logout()
    check = client.get(reverse("mediation_public:verify"), {"code": agreement.verification_code})
    text = check.content.decode()
    assert check.status_code == 200 and agreement.number in text and "张**" in text
    assert "李四" not in text  # names are masked on the public page
    missing = client.get(reverse("mediation_public:verify"), {"code": "ABCDE-FGHJK"})
    assert missing.status_code == 404


def test_signature_drawn_on_screen_is_recorded(client, world, med, case):
    import base64

    session = _session_with_agreement(world, med, case)
    services.record_outcome(
        session=session,
        outcome=Outcome.SUCCESS,
        actor=world.mediator,
        agreement=services.AgreementIn("f", "t"),
    )
    agreement = session.agreement
    party = case.parties.order_by("id").first()
    login(client, world.mediator)
    client.post(
        reverse("mediation:agreement_sign", args=[agreement.pk]),
        {
            "signer": f"applicant:{party.pk}",
            "method": "screen",
            "drawn": "data:image/png;base64," + base64.b64encode(PNG).decode(),
        },
    )
    assert agreement.signatures.get().name == "张三"


def test_stats_json(client, world, med, case):
    session = _session_with_agreement(world, med, case)
    services.record_outcome(
        session=session, outcome=Outcome.FAILED, actor=world.mediator, failure_reason="拒不到场"
    )
    login(client, world.director)
    data = json.loads(client.get(reverse("mediation:stats_json"), {"by": "mediator"}).content)
    assert data["total"]["now"]["mediations"] == 1
    assert data["rows"][0]["now"]["label"] == "周桂兰" and data["rows"][0]["now"]["failed"] == 1
    assert client.get(reverse("mediation:stats")).status_code == 200


def test_staff_pages_render(client, world, med, case):
    _session_with_agreement(world, med, case)
    login(client, world.director)
    for name in ("home", "directory", "rooms", "transfers", "mediator_new"):
        assert client.get(reverse(f"mediation:{name}")).status_code == 200, name
    assert client.get(reverse("mediation:mediator", args=[med.zhou.pk])).status_code == 200
    page = client.get(reverse("mediation:case", args=[case.code])).content.decode()
    assert "第1轮" in page and str(Status.MEDIATING.label) in page


def test_picker_in_the_submission_form(client, world, med):
    from fengqiao.cases.models import Case

    page = client.get(reverse("portal:home"), {"center": world.county_center.pk})
    text = page.content.decode()
    assert 'name="mediator"' in text and "周桂兰" in text
    token = re.search(r'name="form_token" value="([^"]+)"', text).group(1)
    response = client.post(
        reverse("portal:home"),
        {
            "form_token": token,
            "center": world.county_center.pk,
            "via_qr": "1",
            "kind": "dispute",
            "description": "邻居家的狗夜里一直叫，多次沟通没有结果，希望调解。",
            "county": world.county.code,
            "township": world.township.code,
            "village": world.village.code,
            "phone": "13700001111",
            "mediator": med.zhou.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.order_by("-id").first()
    assert MediatorRequest.objects.get(case=case).mediator == med.zhou
    receipt = client.get(response["Location"]).content.decode()
    assert "已收到您点选的调解员周桂兰" in receipt
