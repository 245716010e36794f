"""`cylch retention run [--dry-run]`: destroy records whose retention period has ended (cylch.retention.services)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cylch.retention.services import retention_run


class Command(BaseCommand):
    help = (
        "Destroy the records whose retention period has ended (CYLCH_RETENTION_YEARS), in one transaction, and "
        "record each destruction on the audit chain. --dry-run reports the counts and changes nothing. The "
        "report gives counts per rule and record type, never names."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--dry-run", action="store_true", help="report what is due; destroy nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(dry_run=options["dry_run"])
        verb = "Due for destruction (dry run, nothing changed)" if report.dry_run else "Destroyed"
        if not report.destroyed:
            self.stdout.write(f"{verb}: nothing.")
            return
        self.stdout.write(f"{verb}:")
        for item in report.destroyed:
            self.stdout.write(f"  {item.rule:<14} {item.record_type:<22} {item.count}")
