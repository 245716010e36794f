"""Writes about practitioners themselves."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from cylch.accounts.models import Practitioner


@transaction.atomic
def practitioner_language_set(*, practitioner: Practitioner, language: str) -> bool:
    """Remember the language a practitioner chose, so messages sent to them later are worded in it.
    False (and nothing stored) for a language Cylch does not offer."""
    if language not in dict(settings.LANGUAGES):
        return False
    if practitioner.language != language:
        practitioner.language = language
        practitioner.save(update_fields=["language"])
    return True
