"""Administration of the organisations and the practitioners who sign in (their accounts are personal data)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cylch.accounts.models import Agency, LocalAuthority, Practitioner, Region, Team
from cylch.accounts.services import two_factor_reset
from cylch.audit.admin import PersonalDataAdminMixin

# django-otp's own pages would show authenticator secrets to administrators; a practitioner's devices are reset
# from the practitioner list instead (the action below), and set up again by the practitioner.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["name", "name_cy", "code"]
    search_fields = ["name", "name_cy", "code"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin[LocalAuthority]):
    list_display = ["name", "name_cy", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "name_cy", "code"]


class TeamInline(admin.TabularInline[Team, Agency]):
    model = Team
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "kind", "local_authority", "phone", "email"]
    list_filter = ["kind", "local_authority"]
    search_fields = ["name", "name_cy"]
    inlines = [TeamInline]


@admin.register(Practitioner)
class PractitionerAdmin(PersonalDataAdminMixin[Practitioner], UserAdmin):  # type: ignore[type-arg]
    audit_person = None  # a member of staff, not a person whose record Cylch holds
    list_display = ["username", "first_name", "last_name", "agency", "job_title", "is_active"]
    list_filter = ["roles", "agency__kind", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["agency"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Agency and roles"),
            {"fields": ("agency", "team", "job_title", "job_title_cy", "phone", "roles", "is_system_account")},
        ),
    )
    filter_horizontal = ["roles", "groups", "user_permissions"]
    actions = ["two_factor_reset"]

    @admin.action(description=_("Reset two-factor sign-in"), permissions=["change"])
    def two_factor_reset(self, request: HttpRequest, queryset: QuerySet[Practitioner]) -> None:
        """For a lost phone: the practitioner sets up an authenticator again at their next sign-in."""
        for practitioner in queryset:
            two_factor_reset(practitioner=practitioner)
            self.log_change(request, practitioner, "Reset two-factor sign-in")
