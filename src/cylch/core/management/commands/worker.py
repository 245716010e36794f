"""`cylch worker`: runs background tasks (notifications, timescale sweeps) from the database queue."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from cylch.core.periodic import periodic_start_all


class Command(BaseCommand):
    help = "Run the background worker (django-tasks database backend)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Process the queue once, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        periodic_start_all()
        worker_options: dict[str, Any] = {"interval": 1.0, "reload": False}
        if options["batch"]:
            worker_options["batch"] = True
        call_command("db_worker", **worker_options)
