"""`cylch token create --user NAME`: print an API token for a practitioner or system account."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from cylch.accounts.models import Practitioner


class Command(BaseCommand):
    help = "Create (or show) the API token of a practitioner or system account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("--user", required=True, help="The username.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = Practitioner.objects.get(username=options["user"], is_active=True)
        except Practitioner.DoesNotExist:
            raise CommandError(f"No active user called {options['user']!r}.") from None
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
