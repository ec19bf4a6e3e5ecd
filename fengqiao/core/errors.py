"""Domain errors: a stable machine code plus a message in the user's language.

Services raise these; views and API endpoints map them to a message or a JSON error.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule refused the request. ``code`` is stable; ``message`` is translated."""

    code = "domain_error"
    http_status = 400

    def __init__(self, message: Any, *, code: str | None = None, **details: Any) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.details = details


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    http_status = 403


class ValidationFailed(DomainError):
    code = "invalid"
    http_status = 422


class Conflict(DomainError):
    code = "conflict"
    http_status = 409
