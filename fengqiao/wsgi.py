"""WSGI entry point (gunicorn with sync workers in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
application = get_wsgi_application()
