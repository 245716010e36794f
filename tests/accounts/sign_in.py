"""Signing in through the real pages, password then code, as the browser tests and the sign-in tests do."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_code(device: TOTPDevice) -> str:
    """The code the practitioner's app shows now, or the next one if now's was used already (django-otp never
    accepts a code twice, and accepts the next step's within its tolerance)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"
