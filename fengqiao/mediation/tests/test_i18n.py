"""Mediation pages in English show no Chinese interface text (user data aside)."""

from django.urls import reverse

from fengqiao.core.crypto import mask_name
from fengqiao.mediation import services
from fengqiao.mediation.choices import Outcome
from fengqiao.mediation.models import Mediator, Organization, Room
from fengqiao.testing.factories import PASSWORD
from fengqiao.workbench.tests.test_i18n import chinese_left, user_data

from .conftest import PNG, at


def _data() -> set[str]:
    values = user_data()
    values.update(Mediator.objects.values_list("name", flat=True))
    values.update(Mediator.objects.values_list("languages", flat=True))
    values.update(Organization.objects.values_list("name", flat=True))
    values.update(Room.objects.values_list("name", flat=True))
    values.update({mask_name(v) for v in list(values) if 1 < len(v) < 5})
    values.update(["云梦话", "普通话", "中文", "简体中文"])  # the language switch names itself
    return values


def test_english_pages(client, world, med, case):
    session = services.schedule_session(
        case=case,
        mediator=med.zhou,
        starts_at=at(1),
        ends_at=at(1, 11),
        mode="room",
        room=med.room,
        actor=world.mediator,
    )
    services.record_outcome(
        session=session,
        outcome=Outcome.SUCCESS,
        actor=world.mediator,
        agreement=services.AgreementIn("排水沟堵塞", "一、疏通。"),
    )
    agreement = session.agreement
    party = case.parties.order_by("id").first()
    services.sign_agreement(
        agreement=agreement,
        role="applicant",
        name=party.name,
        party=party,
        method="screen",
        image=PNG,
        actor=world.mediator,
    )
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    public = [
        reverse("mediation_public:directory"),
        reverse("mediation_public:profile", args=[med.zhou.pk]),
        reverse("mediation_public:choose", args=[case.code]),
        reverse("mediation_public:verify") + f"?code={agreement.verification_code}",
    ]
    assert client.login(username=world.director.username, password=PASSWORD)
    staff = [
        reverse("mediation:home"),
        reverse("mediation:directory"),
        reverse("mediation:rooms"),
        reverse("mediation:transfers"),
        reverse("mediation:stats"),
        reverse("mediation:case", args=[case.code]),
        reverse("mediation:session", args=[session.pk]),
        reverse("mediation:agreement", args=[agreement.pk]),
        reverse("mediation:mediator", args=[med.zhou.pk]),
        reverse("mediation:case_section", args=[case.code]),
    ]
    data = _data() | {agreement.number, agreement.facts, agreement.terms}
    problems = {}
    for url in public + staff:
        response = client.get(url, **en)
        assert response.status_code == 200, url
        left = chinese_left(response.content.decode(), data)
        if left:
            problems[url] = left
    assert not problems, problems
