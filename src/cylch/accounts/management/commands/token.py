"""`cylch token create|rotate|revoke|list`: API tokens for practitioners and system accounts.

A new key is printed once, alone on standard output (so a script can read it); only its hash is kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cylch.accounts.models import ApiToken, Practitioner
from cylch.accounts.scopes import SCOPES
from cylch.accounts.selectors import api_token_find, api_tokens
from cylch.accounts.services import IssuedToken, api_token_create, api_token_revoke, api_token_rotate


class Command(BaseCommand):
    help = "Create, rotate, revoke or list API tokens (a key is shown once, when it is made)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="A new token; prints its key once.")
        create.add_argument("--user", required=True, help="The username of the practitioner or system account.")
        create.add_argument(
            "--scope",
            action="append",
            required=True,
            help="What the token may do (repeat, or separate with commas): "
            + "; ".join(f"{scope} ({description})" for scope, description in SCOPES.items()),
        )
        create.add_argument("--days", type=int, help="How long it lasts (default CYLCH_API_TOKEN_DAYS).")
        create.add_argument("--name", default="", help="What it is for, e.g. the system that holds it.")
        rotate = actions.add_parser("rotate", help="A new key with the same scopes; the old one stops working.")
        rotate.add_argument("prefix", help="The token's prefix (see `list`).")
        rotate.add_argument("--days", type=int, help="How long the new key lasts (default CYLCH_API_TOKEN_DAYS).")
        revoke = actions.add_parser("revoke", help="Stop a token working at once.")
        revoke.add_argument("prefix", help="The token's prefix (see `list`).")
        listing = actions.add_parser("list", help="Every token (never its key).")
        listing.add_argument("--user", help="Only this user's tokens.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _create(self, options: dict[str, Any]) -> None:
        scopes = [scope.strip() for given in options["scope"] for scope in given.split(",") if scope.strip()]
        issued = api_token_create(
            practitioner=_user(options["user"]), scopes=scopes, name=options["name"], days=options["days"]
        )
        self._issued(issued)

    def _rotate(self, options: dict[str, Any]) -> None:
        old = _token(options["prefix"])
        self._issued(api_token_rotate(token=old, days=options["days"]))
        self.stderr.write(f"Token {old.prefix} is revoked.")

    def _revoke(self, options: dict[str, Any]) -> None:
        token = _token(options["prefix"])
        done = api_token_revoke(token=token)
        self.stdout.write(f"Token {token.prefix} {'is now revoked' if done else 'was already revoked'}.")

    def _list(self, options: dict[str, Any]) -> None:
        user = _user(options["user"], active_only=False) if options["user"] else None
        now = timezone.now()
        self.stdout.write("prefix\tuser\tname\tscopes\texpires\tstate")
        for token in api_tokens(practitioner=user):
            state = "revoked" if token.revoked_at else "expired" if token.expires_at <= now else "active"
            self.stdout.write(
                f"{token.prefix}\t{token.practitioner.username}\t{token.name}\t{token.scopes}\t"
                f"{token.expires_at:%Y-%m-%d %H:%M}\t{state}"
            )

    def _issued(self, issued: IssuedToken) -> None:
        token = issued.token
        self.stdout.write(issued.key)
        self.stderr.write(
            f"Token {token.prefix} for {token.practitioner.username} ({token.scopes}), expires "
            f"{token.expires_at:%Y-%m-%d}. The key above is shown only now: Cylch keeps only its hash."
        )


def _user(username: str, *, active_only: bool = True) -> Practitioner:
    users = Practitioner.objects.filter(is_active=True) if active_only else Practitioner.objects.all()
    try:
        return users.get(username=username)
    except Practitioner.DoesNotExist:
        raise CommandError(f"No {'active ' if active_only else ''}user called {username!r}.") from None


def _token(prefix: str) -> ApiToken:
    token = api_token_find(prefix)
    if token is None:
        raise CommandError(f"No token with the prefix {prefix!r}; `cylch token list` shows them.")
    return token
