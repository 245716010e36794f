"""`cylch sweep`: run the timescale sweep now (and make sure the worker's periodic sweep is scheduled)."""

from typing import Any

from django.core.management.base import BaseCommand

from cylch.concerns.sweep import timescale_sweep
from cylch.concerns.tasks import sweep_schedule


class Command(BaseCommand):
    help = "Chase concerns and challenges past their timescales, once, and schedule the periodic sweep."

    def handle(self, *args: Any, **options: Any) -> None:
        result = timescale_sweep()
        sweep_schedule()
        self.stdout.write(str(result))
