"""Request and response plumbing that applies to every page: hardening headers, the client behind a proxy."""

import contextlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    """Pages hold personal data about children: browsers and proxies must not keep copies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


# Cylch needs none of these browser features; denying them all means injected or third-party code cannot use them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """Sends the restrictive Permissions-Policy on every response (Django has no setting for it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        return response


class ProxyClientAddressMiddleware:
    """Behind reverse proxies REMOTE_ADDR is the nearest proxy's address, so the audit log would record it as every
    reader's and per-address sign-in lockout would lock everyone out at once. With CYLCH_TRUSTED_PROXY_COUNT
    proxies in front, the client's address is that many entries from the right of X-Forwarded-For: each trusted
    proxy appends the address it was reached from, and anything further left is whatever the client sent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxies = settings.CYLCH_TRUSTED_PROXY_COUNT
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if proxies and len(forwarded) >= proxies:
            # Something that is not an address was not written by a trusted proxy: keep the connection's own.
            with contextlib.suppress(ValueError):
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded[-proxies]))
        return self.get_response(request)
