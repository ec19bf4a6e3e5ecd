"""Create the default routing configuration that is missing (rules for categories added
since, risk words, weights, schemes); what admins changed is left as it is."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from fengqiao.routing import config
from fengqiao.routing.defaults import load_defaults


class Command(BaseCommand):
    help = "Create the missing default keyword rules, risk words, weights and risk schemes."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            load_defaults()
        config.invalidate()
        self.stdout.write("ok")
