"""`cylch meeting_timescales REGION [--initial-conference-working-days N ...]`: show or set a region's clocks."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cylch.accounts.models import Region
from cylch.meetings.clocks import Timescales, timescales_for
from cylch.meetings.services import region_timescales_set


class Command(BaseCommand):
    help = "Show a region's meeting timescales, or set some of them (the rest keep the Wales defaults)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="The region's code.")
        for field in fields(Timescales):
            parser.add_argument(f"--{field.name.replace('_', '-')}", type=int, dest=field.name)

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"No region has the code {options['region']!r}.")
        values = {f.name: options[f.name] for f in fields(Timescales) if options.get(f.name) is not None}
        if values:
            try:
                region_timescales_set(region=region, values=values)
            except ValidationError as error:
                raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
        scales = timescales_for(region)
        for field in fields(Timescales):
            self.stdout.write(f"{field.name}: {getattr(scales, field.name)}")
