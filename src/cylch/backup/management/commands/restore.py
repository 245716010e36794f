"""`cylch restore PATH`: restore a `cylch backup` into an empty database and verify its audit chain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cylch.backup.services import BackupError, backup_restore


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # the database is empty until this has run
    help = (
        "Restore a backup made by `cylch backup` into the configured database, which must be empty (createdb, or a "
        "new SQLite file), then verify the restored audit chain against the anchors bundled with it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(path=options["path"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        ended = report.chain_sequence
        self.stdout.write(f"Restored a {report.vendor} backup whose audit chain ended at entry {ended}.")
        if report.anchors is not None:
            self.stdout.write(f"Its audit anchors are in {report.anchors}.")
        if report.chain.problem is not None:
            raise CommandError(f"The restored audit chain does not verify: {report.chain.problem.problem}.")
        self.stdout.write(f"Audit log intact: {report.chain.checked} entries checked.")
