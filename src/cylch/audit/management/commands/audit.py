"""`cylch audit verify`: check the audit log's signatures, chain and anchors, and name the first broken entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cylch.audit.anchors import anchor_file
from cylch.audit.chain import ChainProblem, chain_seal, chain_verify


def _describe(problem: ChainProblem) -> str:
    where = f"entry {problem.sequence}" if problem.sequence is not None else "an entry"
    row = f" (row id {problem.entry_id})" if problem.entry_id is not None else ""
    return f"{where}{row}: {problem.problem}"


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Audit log tools. `verify` seals recent validly signed entries, walks the chain, compares its end with the "
        "signed head and the anchor file, and names the first altered entry and every unsigned one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = chain_seal()
        if sealed:
            self.stdout.write(f"Sealed {sealed} recent entries into the chain first.")
        anchors = anchor_file()
        report = chain_verify(anchors=anchors)
        if report.problem is None:
            checked_against = f" and {anchors}" if anchors.exists() else ""
            self.stdout.write(
                f"Audit log intact: {report.checked} entries checked against the recorded end{checked_against}."
            )
            return
        for later in report.problems[1:]:
            self.stderr.write(f"Also broken: {_describe(later)}.")
        raise CommandError(
            f"Audit log broken at {_describe(report.problem)}. {report.checked} entries before it verified."
        )
