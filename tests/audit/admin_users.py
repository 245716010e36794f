"""Staff accounts for the Django admin tests of every personal-data ModelAdmin (people, chronology, accounts)."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Model

from cylch.accounts.models import Practitioner, RoleCode
from tests.factories import PractitionerFactory


def staff_with_model_permissions(*models: type[Model], role: RoleCode = RoleCode.ADMINISTRATOR) -> Practitioner:
    """A staff member holding every Django permission on `models`, so only the role decides access."""
    user = PractitionerFactory(is_staff=True, roles=[role])
    labels = {model._meta.app_label for model in models}
    names = {model._meta.model_name for model in models}
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=labels, content_type__model__in=names)
    )
    return Practitioner.objects.get(pk=user.pk)
