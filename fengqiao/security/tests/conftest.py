import pytest

from fengqiao.org.choices import Role
from fengqiao.testing.factories import PASSWORD, make_user, staff


@pytest.fixture
def admin_user(world):
    return staff(world.county_center, Role.ADMIN, "sysadmin")


@pytest.fixture
def auditor(world):
    return staff(world.county_center, Role.AUDITOR, "auditor")


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def password():
    return PASSWORD
