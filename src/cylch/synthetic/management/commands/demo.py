"""`cylch demo`: a small synthetic region and one sign-in per role, so the service can be tried at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cylch.synthetic.services import DEMO_PEOPLE, demo_create

HEADER = ("username", "role", "agency", "password", "authenticator key")


class Command(BaseCommand):
    help = f"Load a demo region ({DEMO_PEOPLE:,} people) if the database has no people, and create demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_create(reference_date=timezone.localdate())
        if result.region_loaded is not None:
            people = result.region_loaded.counts["person"]
            self.stdout.write(self.style.SUCCESS(f"Loaded a demo region of {people:,} people."))
            for kind, count in result.capabilities.items():
                self.stdout.write(f"  {count:,} {kind}")
        else:
            self.stdout.write("The database already holds people: no demo region loaded.")
        self.stdout.write(f"{result.created} demo sign-in(s) created.\n")
        widths = [max(len(row[i]) for row in [*result.sign_ins, HEADER]) for i in range(len(HEADER))]
        for row in [HEADER, tuple("-" * w for w in widths), *result.sign_ins]:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        self.stdout.write(
            "\nSigning in asks for a code from an authenticator app: add the account's key to one, or open its "
            "address below on the phone (or, without a phone: oathtool --totp -b 'KEY').\n"
        )
        for username, uri in result.authenticator_uris:
            self.stdout.write(f"  {username}: {uri}")
