"""Errors (influcampaign.errors): the hierarchy, messages naming field and value, and the
HTTP status of each (errors.http_status, errors.HTTP_STATUS)."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import attrs
import pytest

import influcampaign as ic
import influcampaign.domain
from influcampaign import errors
from influcampaign.domain.access import Permission, Resource
from influcampaign.domain.scheduling import Job
from tests.helpers import START

DOMAIN_MODULES = [
    importlib.import_module(f"influcampaign.domain.{m.name}")
    for m in pkgutil.iter_modules(influcampaign.domain.__path__)
]


class TestErrors:
    def test_hierarchy(self) -> None:
        """One root; validation is a ValueError, not-found a LookupError."""
        assert issubclass(ic.ValidationError, ic.InflucampaignError)
        assert issubclass(ic.ValidationError, ValueError)
        assert issubclass(ic.NotFound, LookupError)
        for error in (
            ic.InvalidTransition,
            ic.ConcurrencyConflict,
            ic.PermissionDenied,
            ic.StorageError,
        ):
            assert issubclass(error, ic.InflucampaignError)

    def test_a_naive_timestamp_names_its_own_field(self) -> None:
        """A naive ``Job.finished_at`` is refused naming finished_at, not created_at, on
        construction and on assignment."""
        naive = dt.datetime(2026, 5, 4, 9)  # noqa: DTZ001 - naive on purpose
        with pytest.raises(ic.ValidationError, match="must be timezone-aware") as error:
            Job("job_1", "publication_reminder", START, "par_1", "cmp_1", finished_at=naive)  # type: ignore[arg-type]
        assert error.value.field == "finished_at"
        job = Job("job_1", "publication_reminder", START, "par_1", "cmp_1")
        with pytest.raises(ic.ValidationError) as error:
            job.finished_at = naive  # type: ignore[assignment]
        assert error.value.field == "finished_at"
        job.finished_at = START
        assert job.finished_at.timezone_name == "UTC"

    def test_every_domain_field_error_names_its_own_field(self) -> None:
        """For every field of every domain type, a naive datetime is refused (if at all) by
        an error naming that field, whichever shared converter or validator it uses."""
        naive = dt.datetime(2026, 5, 4, 9)  # noqa: DTZ001 - naive on purpose
        checked = 0
        for module in DOMAIN_MODULES:
            for cls in vars(module).values():
                if not (
                    isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module.__name__
                ):
                    continue
                for field in attrs.fields(cls):
                    errors: list[ic.ValidationError] = []
                    value: object = naive
                    try:
                        if field.converter is not None:
                            value = field.converter(value)
                        if field.validator is not None:
                            field.validator(None, field, value)
                    except ic.ValidationError as e:
                        errors.append(e)
                    except Exception:  # other checks need a real instance: not ours here
                        continue
                    for error in errors:
                        if "timezone-aware" in error.reason:
                            checked += 1
                            assert error.field.split(".")[-1] == field.name, (cls, field.name)
        assert checked >= 15

    def test_permission_denied_names_the_kind_once(self) -> None:
        """ "may not manage campaign cmp_1", not "manage campaign campaign cmp_1", for every
        permission and resource kind."""
        policy = ic.AccessPolicy()
        outsider = ic.BrandMember("u_x", brand_id="other", role="viewer")
        for kind in ("campaign", "creator", "group", "participation", "shipment", "templates"):
            resource = Resource(kind, "x_1", brand_id="acme")
            for permission in Permission:
                with pytest.raises(ic.PermissionDenied) as error:
                    policy.check(outsider, permission, resource)
                text = str(error.value)
                assert f"{kind} {kind}" not in text
                assert text.endswith(f"{kind} x_1")
                assert error.value.resource == f"{kind} x_1"
        with pytest.raises(ic.PermissionDenied, match=r"may not manage campaign x_1$"):
            policy.check(outsider, Permission.CAMPAIGN_WRITE, Resource("campaign", "x_1"))

    def test_messages_name_field_and_value(self) -> None:
        """ValidationError says which field, what was wrong and what was given."""
        error = ic.ValidationError("followers", -5, "must be a non-negative integer")
        assert str(error) == "followers: must be a non-negative integer (got -5)"


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
