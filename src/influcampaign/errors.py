"""The exceptions influcampaign raises.

Everything derives from :class:`InflucampaignError`; where a built-in exception means the
same thing, the subclass inherits it too, so ``except ValueError`` keeps working for hosts
that do not know this library.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = [
    "HTTP_STATUS",
    "AlreadyExists",
    "ConcurrencyConflict",
    "ConfigurationError",
    "CorruptDocument",
    "CurrencyMismatch",
    "InflucampaignError",
    "InvalidTransition",
    "LimitReached",
    "NotFound",
    "PermissionDenied",
    "SignatureError",
    "StorageBusy",
    "StorageError",
    "StorageIntegrityError",
    "StorageUnavailable",
    "TransientError",
    "ValidationError",
    "http_status",
]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class InflucampaignError(Exception):
    """Root of every error raised by influcampaign."""


class TransientError(InflucampaignError):
    """Base of the errors a retry may cure: a concurrent writer won, or the database was busy
    or out of reach for a moment. Nothing was written; run the whole use case again
    (:func:`influcampaign.retry` does)."""


class ValidationError(InflucampaignError, ValueError):
    """Raised when input is invalid; names the field, the offending value and why.

    Nothing is changed when it is raised.
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {_show(value)})")


class CurrencyMismatch(ValidationError):
    """Raised when money in two currencies is combined without an explicit conversion."""

    def __init__(self, field: str, left: str, right: str) -> None:
        super().__init__(field, right, f"cannot combine {left} with {right} without a rate")
        self.left = left
        self.right = right


class NotFound(InflucampaignError, LookupError):
    """Raised when an object looked up by id does not exist (or is not visible to the actor)."""

    def __init__(self, kind: str, id: str) -> None:
        self.kind = kind
        self.id = id
        super().__init__(f"{kind} {id!r} not found")


class AlreadyExists(InflucampaignError, ValueError):
    """Raised when adding an object whose id (or unique key) is already taken."""

    def __init__(self, kind: str, id: str) -> None:
        self.kind = kind
        self.id = id
        super().__init__(f"{kind} {id!r} already exists")


class InvalidTransition(InflucampaignError):
    """Raised when an action is not allowed in the object's current state.

    The transition table of the object's lifecycle says which actions are allowed where.
    """

    def __init__(self, kind: str, id: str, state: str, action: str) -> None:
        self.kind = kind
        self.id = id
        self.state = state
        self.action = action
        super().__init__(f"{kind} {id!r}: cannot {action} when {state}")


class ConcurrencyConflict(TransientError):
    """Raised when saving a copy of an aggregate that someone else changed meanwhile.

    Reload the aggregate and apply the change again; nothing was written.
    """

    def __init__(self, kind: str, id: str, expected: int, actual: int | None) -> None:
        self.kind = kind
        self.id = id
        self.expected = expected
        self.actual = actual
        found = "it no longer exists" if actual is None else f"stored version is {actual}"
        super().__init__(f"{kind} {id!r}: expected version {expected}, {found}")


class LimitReached(InflucampaignError):
    """Raised when an action would go beyond a configured limit (an offer's cap on creators)."""

    def __init__(self, kind: str, id: str, detail: str) -> None:
        self.kind = kind
        self.id = id
        self.detail = detail
        super().__init__(f"{kind} {id!r} {detail}")


class PermissionDenied(InflucampaignError):
    """Raised when the acting principal may not perform an action; nothing is changed."""

    def __init__(self, principal: str, action: str, resource: str) -> None:
        self.principal = principal
        self.action = action
        self.resource = resource
        super().__init__(f"{principal} may not {action} {resource}")


class StorageError(InflucampaignError):
    """Raised when the storage backend fails: unreachable, corrupt, foreign or too new a schema.

    The driver's own exception is chained as ``__cause__``. The subclasses say which failure
    it is, from the driver's error type and code (never from its message text).
    """


class StorageBusy(StorageError, TransientError):
    """Raised when the database is locked or busy (a long writer, a lock or serialisation
    failure, a deadlock broken by the server): retry; nothing was written."""


class StorageUnavailable(StorageError, TransientError):
    """Raised when the database cannot be reached or opened (server down, connection lost,
    file not openable): retry later; nothing was written."""


class StorageIntegrityError(StorageError):
    """Raised when the database refuses a write for a constraint that no domain rule caught."""


class CorruptDocument(StorageError):
    """Raised when a stored aggregate (or event) cannot be read back: the database file is
    damaged, or the document was changed by hand. Names the aggregate kind and id."""

    def __init__(self, kind: str, id: str, detail: str) -> None:
        self.kind = kind
        self.id = id
        self.detail = detail
        super().__init__(f"stored {kind} {id!r} cannot be read: {detail}")


class SignatureError(InflucampaignError, ValueError):
    """Raised when a signature or a signed token does not verify: missing, malformed, made
    with an unknown key, or not matching the data. Nothing is read from the data."""

    def __init__(self, what: str, reason: str) -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"{what}: {reason}")


class ConfigurationError(InflucampaignError):
    """Raised when the workspace lacks something a call needs that no argument can supply:
    signing keys to create tracked links, an exchange rate to credit an order in another
    currency. Nothing is changed; complete the set-up (or wait for the rate) and call again.
    """


HTTP_STATUS: Mapping[type[InflucampaignError], int] = MappingProxyType(
    {
        ValidationError: 422,
        SignatureError: 401,
        PermissionDenied: 403,
        NotFound: 404,
        AlreadyExists: 409,
        InvalidTransition: 409,
        LimitReached: 409,
        ConcurrencyConflict: 409,
        StorageBusy: 503,
        StorageUnavailable: 503,
        TransientError: 503,
        ConfigurationError: 503,
        StorageError: 500,
        InflucampaignError: 500,
    }
)
"""The HTTP status a web host answers for each error class (the nearest class in the MRO
wins, so ``CurrencyMismatch`` is a 422 and ``StorageBusy`` a 503): see docs/hosting.md."""


def http_status(error: BaseException) -> int:
    """The HTTP status for ``error`` (:data:`HTTP_STATUS`, by its nearest class); 500 for
    anything that is not an influcampaign error."""
    for cls in type(error).__mro__:
        status = HTTP_STATUS.get(cls)
        if status is not None:
            return status
    return 500
