"""Create a personal API token for a user and print it (the only time it is shown)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fengqiao.api.services import create_token
from fengqiao.core.errors import DomainError
from fengqiao.org.models import User


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="a label for the token")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}")
        try:
            issued = create_token(user=user, name=name)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(issued.secret)
