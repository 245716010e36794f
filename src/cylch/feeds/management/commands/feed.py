"""`cylch feed import --agency AGENCY FILE`: an agency's extract (NDJSON or CSV) into the record.

cylch feed import --agency 12 events.ndjson                 AGENCY is the agency's id or its exact name
cylch feed import --agency "Heddlu Dyfed-Powys" moves.csv --report rejected.ndjson --chunk 1000

Prints progress after each chunk and a summary; rejected rows go to FILE.rejected.ndjson (or --report) with their
errors; an interrupted import run again resumes after the last committed chunk (FILE.checkpoint) without storing
anything twice. See `cylch.feeds.services.files`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cylch.accounts.models import Agency
from cylch.feeds.services.files import CHUNK, FORMATS, ImportSummary, feed_file_import, file_format


def _agency(value: str) -> Agency:
    found = Agency.objects.filter(pk=int(value)) if value.isascii() and value.isdigit() else Agency.objects.none()
    found = found or Agency.objects.filter(name=value)
    if len(found) != 1:
        raise CommandError(f"No single agency with the id or name {value!r}.")
    return found[0]


def _line(summary: ImportSummary) -> str:
    counts = summary.counts
    return (
        f"{counts['stored']:,} stored, {counts['already_stored']:,} already stored, "
        f"{counts['review']:,} waiting for a match review, {counts['rejected']:,} rejected"
    )


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a batch job needs no URL or template checks
    help = "Import an agency's feed file (NDJSON or CSV): events, involvements, households, relationships, statuses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="The sending agency's id or exact name.")
        parser.add_argument("--format", choices=FORMATS, help="Default: csv for .csv files, otherwise ndjson.")
        parser.add_argument("--report", type=Path, help="Where rejected rows go (default FILE.rejected.ndjson).")
        parser.add_argument("--chunk", type=int, default=CHUNK, help="Items per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        if options["chunk"] < 1:
            raise CommandError("--chunk must be at least 1.")
        agency = _agency(options["agency"])
        report = options["report"] or source.with_name(source.name + ".rejected.ndjson")
        checkpoint = source.with_name(source.name + ".checkpoint")

        def progress(line: int, summary: ImportSummary) -> None:
            self.stdout.write(f"line {line:,}: {_line(summary)} ({summary.rate:,.0f} items/s)")

        summary = feed_file_import(
            agency=agency,
            source=source,
            fmt=options["format"] or file_format(source),
            report=report,
            checkpoint=checkpoint,
            chunk=options["chunk"],
            progress=progress,
        )
        if summary.resumed_from:
            self.stdout.write(f"Resumed after line {summary.resumed_from:,}.")
        self.stdout.write(
            f"{agency.name}: {_line(summary)} in {summary.seconds:.1f} s ({summary.rate:,.0f} items/s)."
            + (f" Rejected rows and their errors: {report}" if summary.counts["rejected"] else "")
        )
