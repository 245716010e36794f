"""`cylch backup [--out PATH]`: the database and the audit anchors in one tar (see cylch.backup.services)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cylch.backup.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump --format=custom on PostgreSQL, the online backup API on SQLite) together "
        "with the audit anchor file, as one tar with a manifest of checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="where to write the tar (default var/backups/cylch-<when>.tar)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup_create(out=options["out"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {path}")
