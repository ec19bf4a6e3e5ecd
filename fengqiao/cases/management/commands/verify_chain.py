"""Verify the SHA-256 event chain of one case or of every case."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.management.base import BaseCommand, CommandError

from fengqiao.cases.codes import InvalidCode, check_code
from fengqiao.cases.models import Case
from fengqiao.cases.services import verify_chain


class Command(BaseCommand):
    help = "Verify the tamper-evident event chain of one case (by code) or of all cases."

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", nargs="?", help="case code; all cases when omitted")

    def handle(self, *args, code: str | None = None, **options) -> None:
        if code:
            try:
                code = check_code(code)
            except InvalidCode as exc:
                raise CommandError(f"invalid case code: {exc}") from None
            case = Case.objects.filter(code=code).first()
            if case is None:
                raise CommandError(f"no case {code}")
            cases: Iterable[Case] = [case]
            total = 1
        else:
            cases = Case.objects.order_by("id").only("id", "code").iterator(chunk_size=500)
            total = Case.objects.count()
        broken = 0
        for n, case in enumerate(cases, start=1):
            report = verify_chain(case)
            if not report.ok:
                broken += 1
                self.stdout.write(
                    self.style.ERROR(
                        f"{report.case_code}: chain broken at event #{report.broken_seq} "
                        f"({report.reason})"
                    )
                )
            if options["verbosity"] and n % 500 == 0:
                self.stdout.write(f"  {n:,}/{total:,} cases checked", ending="\r")
        if broken:
            raise CommandError(f"{broken} of {total} case(s) have a broken event chain")
        self.stdout.write(self.style.SUCCESS(f"{total} case(s) verified: every chain is intact"))
