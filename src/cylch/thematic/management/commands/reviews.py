"""`cylch reviews import FILE.csv` and `cylch reviews analyse … --out DIR`: the thematic analysis from the shell.

The same service and the same files as the board's pages (docs/thematic.md).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cylch.accounts.models import LocalAuthority, Practitioner
from cylch.thematic.analysis import AnalysisRefused, ReviewFilter
from cylch.thematic.importing import ImportRefused
from cylch.thematic.models import ReviewType
from cylch.thematic.report import LANGUAGES, analysis_files
from cylch.thematic.selectors import review_analysis
from cylch.thematic.services import coded_reviews_import


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Import coded practice reviews from CSV, or analyse a set of them into files."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="Import a CSV of coded reviews (all or nothing).")
        importing.add_argument("file", type=Path, help="The CSV file (format: docs/thematic.md).")
        importing.add_argument("--user", help="The username recorded as having coded them.")
        analyse = actions.add_parser("analyse", help="Analyse a set of coded reviews into DIR.")
        analyse.add_argument("--type", choices=ReviewType.values, help="Only reviews of this type.")
        analyse.add_argument("--local-authority", help="Only reviews of this local authority (ONS code).")
        analyse.add_argument("--from", dest="date_from", type=_date, help="Incidents on or after this date.")
        analyse.add_argument("--to", dest="date_to", type=_date, help="Incidents on or before this date.")
        analyse.add_argument("--out", type=Path, required=True, help="The directory to write the files into.")
        analyse.add_argument("--language", choices=LANGUAGES, default="en", help="The report's language.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        user = None
        if options["user"]:
            user = Practitioner.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active practitioner is called {options['user']!r}")
        try:
            result = coded_reviews_import(data=data, user=user)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported from {path}: {len(refused.problems)} problem(s).") from None
        self.stdout.write(
            f"Imported {result.created + result.updated}: {result.created} new, {result.updated} updated."
        )

    def _analyse(self, options: dict[str, Any]) -> None:
        local_authority = None
        if options["local_authority"]:
            local_authority = LocalAuthority.objects.filter(code=options["local_authority"]).first()
            if local_authority is None:
                raise CommandError(f"No local authority has the ONS code {options['local_authority']!r}")
        review_filter = ReviewFilter(
            review_type=options["type"] or "",
            local_authority=local_authority,
            date_from=options["date_from"],
            date_to=options["date_to"],
        )
        if review_filter.date_from and review_filter.date_to and review_filter.date_to < review_filter.date_from:
            raise CommandError("--to is before --from")
        try:
            analysis = review_analysis(review_filter=review_filter)
        except AnalysisRefused as refused:
            raise CommandError(str(refused)) from None
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        for name, content in analysis_files(analysis, language=options["language"]).items():
            target = out / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
            self.stdout.write(f"{target}")
        significant = len(analysis.significant)
        self.stdout.write(
            f"{analysis.total} reviews analysed; {len(analysis.associations)} pairs tested, {significant} significant."
        )
