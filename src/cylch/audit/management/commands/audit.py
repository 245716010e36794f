"""`cylch audit verify`: check the audit log's hash chain and name the first broken entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cylch.audit.chain import chain_seal, chain_verify


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Audit log tools. `verify` seals recent entries, walks the hash chain and names the first altered entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = chain_seal()
        if sealed:
            self.stdout.write(f"Sealed {sealed} recent entries into the chain first.")
        report = chain_verify()
        if report.problem is None:
            self.stdout.write(f"Audit log intact: {report.checked} entries checked.")
            return
        problem = report.problem
        where = f"entry {problem.sequence}" if problem.sequence is not None else "an entry"
        raise CommandError(
            f"Audit log broken at {where} (row id {problem.entry_id}): {problem.problem}. "
            f"{report.checked} entries before it verified."
        )
