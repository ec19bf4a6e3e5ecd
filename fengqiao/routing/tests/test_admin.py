"""The routing configuration is editable in the admin, in Chinese."""

import pytest
from django.urls import reverse

from fengqiao.routing.models import KeywordRule, RiskScheme
from fengqiao.testing.factories import make_user

pytestmark = pytest.mark.django_db

MODELS = [
    "keywordrule",
    "riskword",
    "riskweight",
    "categoryrisk",
    "riskscheme",
    "classifierversion",
    "correction",
    "caserouting",
]


@pytest.fixture
def admin_client(client):
    user = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelists_open_in_chinese(admin_client, model):
    response = admin_client.get(reverse(f"admin:routing_{model}_changelist"))
    assert response.status_code == 200
    assert "分流研判" in response.content.decode()


def test_admin_edits_a_rule_and_switches_the_scheme(admin_client, world):
    rule = KeywordRule.objects.get(category__code="dispute.labor")
    url = reverse("admin:routing_keywordrule_change", args=[rule.pk])
    response = admin_client.post(
        url,
        {
            "category": rule.category_id,
            "keywords": "欠薪、讨薪，包工头",
            "weight": "2",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.keyword_list == ["欠薪", "讨薪", "包工头"] and rule.weight == 2

    four = RiskScheme.objects.get(code="four_levels")
    response = admin_client.post(
        reverse("admin:routing_riskscheme_changelist"),
        {"action": "activate", "_selected_action": [four.pk]},
    )
    assert response.status_code == 302
    assert RiskScheme.objects.get(is_active=True) == four


def test_defaults_can_be_loaded_again_without_overwriting_edits():
    from django.core.management import call_command

    from fengqiao.routing.models import RiskWord

    RiskWord.objects.filter(word="跳楼").update(weight=45)
    KeywordRule.objects.filter(category__code="dispute.labor").delete()
    call_command("load_routing_defaults", stdout=None)
    assert RiskWord.objects.get(word="跳楼").weight == 45
    assert KeywordRule.objects.filter(category__code="dispute.labor").count() == 1
    assert RiskScheme.objects.filter(is_active=True).count() == 1
