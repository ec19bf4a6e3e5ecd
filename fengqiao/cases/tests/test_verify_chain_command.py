import pytest
from django.core.management import CommandError, call_command

from fengqiao.cases.choices import Status
from fengqiao.cases.models import CaseEvent

pytestmark = pytest.mark.django_db


def test_command_reports_intact_and_broken_chains(world, capsys):
    good = world.register(status=Status.CLOSED)
    bad = world.register(status=Status.HANDLING)
    call_command("verify_chain", good.code)
    assert "every chain is intact" in capsys.readouterr().out
    CaseEvent.objects.filter(case=bad, seq=2).update(actor_label="篡改者")
    with pytest.raises(CommandError, match="1 of 2"):
        call_command("verify_chain", verbosity=0)
    assert f"{bad.code}: chain broken at event #2" in capsys.readouterr().out
    with pytest.raises(CommandError, match="invalid case code"):
        call_command("verify_chain", good.code[:-1] + ("0" if good.code[-1] != "0" else "1"))
