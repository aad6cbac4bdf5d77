"""The error classes' HTTP statuses (errors.http_status, errors.HTTP_STATUS)."""

from __future__ import annotations

import inspect

import pytest

import influcampaign as ic
from influcampaign import errors


def _public_errors() -> list[type[ic.InflucampaignError]]:
    return [
        obj
        for name in ic.__all__
        if inspect.isclass(obj := getattr(ic, name)) and issubclass(obj, ic.InflucampaignError)
    ]


class TestHttpStatus:
    """Each error maps to the status a web host answers."""

    def test_every_public_error_has_a_status_in_the_table_or_a_parent(self) -> None:
        """Every public error class finds its status through its MRO, in the 4xx/5xx range."""
        for cls in _public_errors():
            found = [errors.HTTP_STATUS[c] for c in cls.__mro__ if c in errors.HTTP_STATUS]
            assert found, cls
            assert 400 <= found[0] < 600

    @pytest.mark.parametrize(
        ("error", "status"),
        [
            (ic.ValidationError("f", 1, "bad"), 422),
            (ic.CurrencyMismatch("f", "EUR", "USD"), 422),
            (ic.SignatureError("token", "bad"), 401),
            (ic.PermissionDenied("u", "read", "x"), 403),
            (ic.NotFound("campaign", "c"), 404),
            (ic.AlreadyExists("campaign", "c"), 409),
            (ic.InvalidTransition("campaign", "c", "draft", "end"), 409),
            (ic.LimitReached("campaign", "c", "is full"), 409),
            (ic.ConcurrencyConflict("campaign", "c", 1, 2), 409),
            (ic.StorageBusy("locked"), 503),
            (ic.StorageUnavailable("down"), 503),
            (ic.ConfigurationError("no keys"), 503),
            (ic.StorageIntegrityError("x"), 500),
            (ic.CorruptDocument("campaign", "c", "bad json"), 500),
            (ic.StorageError("x"), 500),
            (RuntimeError("not ours"), 500),
        ],
        ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else str(v),
    )
    def test_status_of_each_error(self, error: BaseException, status: int) -> None:
        """The nearest class in the MRO decides: a busy store is a 503 though it is a
        StorageError, a currency mismatch a 422 since it is a ValidationError."""
        assert ic.http_status(error) == status

    def test_the_table_is_read_only(self) -> None:
        """A host cannot change the SDK's table by accident (it maps in its own handler)."""
        with pytest.raises(TypeError):
            errors.HTTP_STATUS[ic.NotFound] = 410  # type: ignore[index]
