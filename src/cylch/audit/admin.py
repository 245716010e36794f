"""The Django admin's pages of personal data: for administrators only, and audited like every other page.

The admin shows every record regardless of need-to-know, so it is restricted to the administrator
role (and superusers), and every list, opened record, save and delete writes audit rows in the
transaction that reads or writes the data.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import is_administrator
from cylch.audit.models import AuditAction
from cylch.audit.services import admin_access_record
from cylch.people.models import Person

_ModelT = TypeVar("_ModelT", bound=models.Model)


def may_administer_personal_data(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, Practitioner) and user.is_active and (user.is_superuser or is_administrator(user))


class PersonalDataAdminMixin(admin.ModelAdmin[_ModelT]):
    """Mix into (before) every ModelAdmin whose objects hold personal data.

    `audit_person` names the attribute leading to the person an object is about ("" for a
    Person itself, None when there is no one person, e.g. a household or a practitioner).
    """

    audit_person: str | None = "person"

    def _person_of(self, obj: _ModelT) -> Person | None:
        if self.audit_person is None:
            return None
        if not self.audit_person:
            return obj if isinstance(obj, Person) else None
        person = getattr(obj, self.audit_person, None)
        return person if isinstance(person, Person) else None

    def _record(
        self, request: HttpRequest, objects: list[_ModelT], action: AuditAction, page: str, **details: Any
    ) -> None:
        user = request.user
        assert isinstance(user, Practitioner)  # noqa: S101 - only administrators reach these pages
        label = self.model._meta.label_lower
        admin_access_record(
            practitioner=user,
            seen=[(self._person_of(obj), {"model": label, "object": str(obj.pk), **details}) for obj in objects],
            action=action,
            page=f"admin-{self.model._meta.model_name}{page}"[:100],
            request=request,
        )

    def _record_shown(self, request: HttpRequest, object_id: str, response: HttpResponse, page: str) -> None:
        """An object's page was rendered (not a redirect after saving), so its data was shown."""
        if response.status_code != 200:
            return
        obj = self.get_object(request, object_id)
        if obj is not None:
            self._record(request, [obj], AuditAction.VIEW, page)

    # --- who may use these pages ---

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_administer_personal_data(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: _ModelT | None = None) -> bool:
        return may_administer_personal_data(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_administer_personal_data(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: _ModelT | None = None) -> bool:
        return may_administer_personal_data(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: _ModelT | None = None) -> bool:
        return may_administer_personal_data(request) and super().has_delete_permission(request, obj)

    # --- reads ---

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        with transaction.atomic():
            response = super().changelist_view(request, extra_context)
            changelist = getattr(response, "context_data", None) or {}
            if "cl" in changelist:
                shown = list(changelist["cl"].result_list)  # evaluated once; the template reuses it
                self._record(request, shown, AuditAction.SEARCH, "-list")
            return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        with transaction.atomic():
            response = super().change_view(request, object_id, form_url, extra_context)
            self._record_shown(request, object_id, response, "")
            return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        with transaction.atomic():
            response = super().delete_view(request, object_id, extra_context)
            if request.method != "POST":
                self._record_shown(request, object_id, response, "-delete")
            return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        with transaction.atomic():
            response = super().history_view(request, object_id, extra_context)
            self._record_shown(request, object_id, response, "-history")
            return response

    # --- writes (Django calls these inside the transaction that saves or deletes) ---

    def log_addition(self, request: HttpRequest, obj: _ModelT, message: Any) -> Any:
        self._record(request, [obj], AuditAction.CREATE, "", change=message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: _ModelT, message: Any) -> Any:
        self._record(request, [obj], AuditAction.UPDATE, "", change=message)
        return super().log_change(request, obj, message)

    def delete_model(self, request: HttpRequest, obj: _ModelT) -> None:
        self._record(request, [obj], AuditAction.DELETE, "")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_ModelT]) -> None:
        with transaction.atomic():
            self._record(request, list(queryset), AuditAction.DELETE, "")
            super().delete_queryset(request, queryset)
