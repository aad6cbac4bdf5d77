"""Errors (influcampaign.errors): the hierarchy and messages naming field and value."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import attrs
import pytest

import influcampaign as ic
import influcampaign.domain
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
