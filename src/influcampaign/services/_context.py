"""What a service is given: the explicit dependencies of the use cases.

A :class:`ServiceContext` holds what every service uses — how to open a unit of work, the
clock, the id generator and the access policy. What only some services use (signing keys,
exchange rates, the robot filter, another service's public reads) is passed to those
services' constructors by name, so a service's dependencies show in its signature.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

import attrs
import pendulum

from influcampaign.domain.access import AccessPolicy
from influcampaign.errors import ValidationError
from influcampaign.ports import Clock, IdGenerator, Rate, RateProvider, Store, UnitOfWork

__all__ = ["ExchangeRates", "ServiceContext", "Units"]


@attrs.frozen
class Units:
    """Opens units of work on a store, or nests them in one already open (``bound``): a
    write inside a bound unit is a savepoint, so a failed call undoes only its own writes."""

    store: Store
    bound: UnitOfWork | None = None

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """A unit of work that commits when the block ends without error."""
        if self.bound is not None:
            with self.bound.savepoint():
                yield self.bound
            return
        with self.store.unit_of_work() as uow:
            yield uow
            uow.commit()

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """A unit of work for reading only."""
        if self.bound is not None:
            yield self.bound
            return
        with self.store.unit_of_work(read_only=True) as uow:
            yield uow

    @contextmanager
    def atomic(self) -> Iterator[Units]:
        """Units bound to one transaction, committed when the block ends (or this one, when
        it is already bound)."""
        if self.bound is not None:
            yield self
            return
        with self.store.unit_of_work() as uow:
            yield Units(self.store, uow)
            uow.commit()


@attrs.frozen
class ServiceContext:
    """What every service is given: units of work, the clock, ids and the access policy."""

    units: Units
    clock: Clock
    ids: IdGenerator
    access: AccessPolicy

    def now(self) -> pendulum.DateTime:
        """The clock's now."""
        return self.clock.now()

    def bound_to(self, units: Units) -> ServiceContext:
        """The same context with its units of work bound to one transaction."""
        return attrs.evolve(self, units=units)


@attrs.frozen
class ExchangeRates:
    """The host's exchange rates (or none), asked for as a use case needs them."""

    provider: RateProvider | None = None

    def rate(self, base: str, quote: str, on: _dt.date) -> Rate | None:
        """The rate from ``base`` to ``quote`` on a day, or None when unknown."""
        return None if self.provider is None else self.provider.rate(base, quote, on)

    def require(self, base: str, quote: str, on: _dt.date, consequence: str = "") -> Rate:
        """The rate; a ValidationError naming the currency (and ``consequence``) when the
        workspace has none."""
        found = self.rate(base, quote, on)
        if found is None:
            raise ValidationError(
                "currency",
                base,
                f"no exchange rate to {quote} on {on.isoformat()}: give the workspace a rate "
                f"provider that knows it{consequence}",
            )
        return found

    def as_function(self) -> Callable[[str, str, _dt.date], Decimal]:
        """The rates as the function the analytics take (raising when a rate is unknown)."""

        def rate(base: str, quote: str, on: _dt.date) -> Decimal:
            return self.require(base, quote, on).value

        return rate
