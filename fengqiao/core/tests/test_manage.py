"""manage.py as the README uses it: after `make run`, `.venv/bin/python manage.py ...` works
in a plain shell (no FENGQIAO_DEBUG); production without its secrets still refuses to start."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from fengqiao.api.models import ApiToken
from fengqiao.testing.factories import make_user

from .helpers import sqlite_copy_only

ROOT = Path(settings.BASE_DIR)


def _shell_env(**extra: str) -> dict[str, str]:
    """A newcomer's shell: no FENGQIAO_* and no DJANGO_SETTINGS_MODULE (pytest's is removed)."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@sqlite_copy_only
@pytest.mark.django_db(transaction=True)  # the copy is taken outside any transaction
def test_readme_create_api_token_works_in_a_plain_shell(tmp_path):
    make_user("fenliu")
    var = tmp_path / "var"  # make run's var/, here a scratch one
    var.mkdir()
    connection.ensure_connection()
    target = sqlite3.connect(var / "fengqiao.sqlite3")
    connection.connection.backup(target)
    target.close()

    done = _manage("create_api_token", "fenliu", env=_shell_env(FENGQIAO_VAR_DIR=str(var)))

    assert done.returncode == 0, done.stderr
    secret = done.stdout.strip()
    assert len(secret) >= 20 and "\n" not in secret
    with sqlite3.connect(var / "fengqiao.sqlite3") as db:
        table = ApiToken._meta.db_table
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1


@pytest.mark.parametrize(
    "extra",
    [
        {"DATABASE_URL": "postgres://fengqiao@127.0.0.1:1/fengqiao"},
        {"FENGQIAO_DEBUG": "0"},
        {"FENGQIAO_FIELD_KEY": "q5Jw2fR0bYxkz2cQm8lq0k3yqzCw0xkqv8mQ5m3b6Yk="},
    ],
    ids=["database-url", "debug-off", "field-key-only"],
)
def test_production_without_its_secret_refuses_to_start(extra):
    done = _manage("check", env=_shell_env(**extra))
    assert done.returncode != 0
    assert "FENGQIAO_SECRET_KEY must be set" in done.stderr


def test_the_web_server_never_assumes_development():
    done = subprocess.run(
        [sys.executable, "-c", "import fengqiao.wsgi"],
        cwd=ROOT,
        env=_shell_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "FENGQIAO_SECRET_KEY must be set" in done.stderr
