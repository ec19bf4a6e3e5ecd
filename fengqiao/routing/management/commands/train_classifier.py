"""Train, evaluate and (optionally) activate a new version of the case classifier."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from fengqiao.core.errors import DomainError
from fengqiao.routing.services import train_model


class Command(BaseCommand):
    help = "Train the case classifier on closed cases and corrections; store a new version."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--activate", action="store_true", help="activate the new version")
        parser.add_argument("--min-samples", type=int, default=30)
        parser.add_argument("--folds", type=int, default=5)

    def handle(self, *args, **options) -> None:
        try:
            result = train_model(
                min_samples=options["min_samples"],
                activate=options["activate"],
                folds=options["folds"],
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        out = {
            "version": result.version.version,
            "n_samples": result.version.n_samples,
            "labels": len(result.version.labels),
            "activated": result.activated,
            **result.metrics,
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False))
