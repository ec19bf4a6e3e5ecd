#!/usr/bin/env python
"""Django's command line for Fengqiao.

In a checkout without production configuration (none of ``PRODUCTION_VARIABLES`` set and
``FENGQIAO_DEBUG`` not given either way), commands run with the development settings that
``make run`` uses (``FENGQIAO_DEBUG=1``: the SQLite database in var/ and the development
keys), so that ``.venv/bin/python manage.py create_api_token fenliu`` works as the README
says. Nothing is assumed once any of them is set: production without its secrets still stops
at once, and ``FENGQIAO_DEBUG=0`` asks for production settings explicitly. The web server's
entry point (fengqiao/wsgi.py) never assumes development.
"""

import os
import sys
from collections.abc import MutableMapping

PRODUCTION_VARIABLES = (
    "DATABASE_URL",
    "FENGQIAO_SECRET_KEY",
    "FENGQIAO_FIELD_KEY",
    "FENGQIAO_HASH_KEY",
    "FENGQIAO_ALLOWED_HOSTS",
)


def development_by_default(environ: MutableMapping[str, str]) -> bool:
    """Set FENGQIAO_DEBUG=1 where nothing configures this checkout; says whether it did."""
    if environ.get("DJANGO_SETTINGS_MODULE", "fengqiao.settings") != "fengqiao.settings":
        return False
    if "FENGQIAO_DEBUG" in environ or any(environ.get(name) for name in PRODUCTION_VARIABLES):
        return False
    environ["FENGQIAO_DEBUG"] = "1"
    return True


if __name__ == "__main__":
    development_by_default(os.environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
