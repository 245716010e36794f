"""The sign-in forms, worded the GOV.UK way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Django's authentication form with GOV.UK labels and error messages (never saying which part was wrong)."""

    error_messages = {
        "invalid_login": _("Enter a correct username and password. Both are case-sensitive."),
        "inactive": _("This account has been switched off. Contact your administrator."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].error_messages["required"] = _("Enter your username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["password"].label = _("Password")
        self.fields["password"].error_messages["required"] = _("Enter your password")
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})


class TwoFactorCodeForm(forms.Form):
    """A code from the authenticator app (six digits) or a recovery code (eight letters and digits)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        error_messages={"required": _("Enter the code")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
