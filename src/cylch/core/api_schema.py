"""The errors every API operation may answer, written into the OpenAPI description once.

Each operation can be refused for the same reasons whatever it does: a body that is not valid JSON or is too
deep (400) or too large (413), no token or a bad one (401), a token without the scope or a caller without the
right (403), a rate limit (429 with Retry-After), a media type it does not read (415). Documenting them here
keeps the description honest for every operation, and lets the API fuzz check that every error is documented.
"""

from __future__ import annotations

from typing import Any

ERROR_BODY = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
    "description": "`detail` says what was wrong; a refused field is named as a key with its messages.",
}
COMMON_ERRORS = {
    "400": "The request is not valid: a field, the JSON itself or its nesting (the body names what is wrong)",
    "401": "No token or session, or the token is unknown, revoked or expired",
    "403": "The token lacks the scope this call needs, or the caller may not make it",
    "404": "Nothing you may see has that identifier",
    "406": "The response cannot be given in the media type the Accept header asks for",
    "413": "The request body is larger than the service accepts",
    "415": "The request body is in a media type the service does not read",
    "429": "Too many calls with this token: wait as long as the Retry-After header says",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before calling again", "schema": {"type": "integer"}}}


def common_error_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the common errors to each operation that does not say otherwise."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ERROR_BODY}}}
                )
            responses["429"].setdefault("headers", {}).update(RETRY_AFTER)
    return result
