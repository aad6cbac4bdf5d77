"""The bulk import of shop events: the same orders, receipts, events and attributions as
applying each event on its own, in bounded chunks, idempotent and crash-safe."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.orders import OrderPlacement, Refund, ShopEvent, ShopTopic
from influcampaign.domain.policies import AttributionRule
from tests.helpers import MANAGER

PARIS = "Europe/Paris"
SHOP = "maison-lumiere.myshopify.com"
KEYS = ic.SigningKeys({"k1": b"k1-" + b"x" * 40}, current="k1")
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
T0 = pendulum.datetime(2026, 3, 2, 9, tz=PARIS)


@attrs.frozen
class World:
    """A template store: two campaigns (code wins, last touch), three creators with promo
    codes and tracked links, and clicks with their signed tokens."""

    path: Path
    codes: tuple[str, ...]
    landings: tuple[str, ...]
    tokens: tuple[str, ...]


def _workspace(url: str, ids: ic.SequentialIds | ic.RandomIds | None = None) -> ic.Workspace:
    base = ic.open(url, clock=ic.FrozenClock(T0.add(days=9)), ids=ids or ic.RandomIds())
    return ic.Workspace(
        base.store,
        base.clock,
        ids=base.ids,
        keys=KEYS,
        rates=ic.FixedRates({("USD", "EUR"): "0.9"}, source="test table"),
    )


def _campaign(ws: ic.Workspace, name: str, rule: AttributionRule) -> ic.Campaign:
    policies = ic.CampaignPolicies(
        attribution=attrs.evolve(ic.CampaignPolicies().attribution, rule=rule)
    )
    made = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name=name,
        kind="sales_tracking",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz=PARIS),
        end=pendulum.datetime(2026, 7, 1, tz=PARIS),
        timezone=PARIS,
        compensation=ic.Compensation(fee=ic.Money.of(100, "EUR")),
        policies=policies,
    )
    ws.campaigns.start(MANAGER, made.id)
    return made


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The template, built once and copied for every example."""
    path = tmp_path_factory.mktemp("orders") / "template.sqlite"
    ws = _workspace(f"sqlite:///{path}", ic.SequentialIds())
    codes, landings, tokens = [], [], []
    for number, (name, rule) in enumerate(
        [("Spring", AttributionRule.CODE_WINS), ("Summer", AttributionRule.LAST_TOUCH)]
    ):
        campaign = _campaign(ws, name, rule)
        for handle in ("emma", "leo")[: 2 - number] if number else ("emma", "leo"):
            creator = ws.creators.register(
                MANAGER, f"{handle}{number}", handles={"instagram": f"{handle}.{number}"}
            )
            p = ws.participations.add(MANAGER, campaign.id, creator.id)
            ws.participations.confirm(MANAGER, p.id)
            codes.append(ws.codes.create(MANAGER, p.id, code=f"{handle.upper()}{number}").code)
            link = ws.links.create(MANAGER, p.id, landing_url="https://shop.example/serum")
            landings.append(f"/serum?utm_source=instagram&utm_content={link.slug}")
            outcome = ws.links.click(link.slug, ip="203.0.113.9", user_agent=PHONE)
            assert outcome.click_token is not None
            tokens.append(outcome.click_token)
    ws.close()
    return World(path, tuple(codes), tuple(landings), tuple(tokens))


@pytest.fixture
def pair(world: World, tmp_path: Path) -> Iterator[tuple[ic.Workspace, ic.Workspace]]:
    """Two copies of the template: one applies event by event, the other in bulk."""
    made = []
    for name in ("one", "bulk"):
        shutil.copy(world.path, tmp_path / f"{name}.sqlite")
        made.append(_workspace(f"sqlite:///{tmp_path / name}.sqlite"))
    yield made[0], made[1]
    for ws in made:
        ws.close()


def _event(world: World, draw: Any) -> ShopEvent:
    number = draw(st.integers(1, 6))
    external = f"100{number}"
    topic = draw(st.sampled_from(list(ShopTopic)))
    currency = "EUR" if number != 6 else "USD"
    money = ic.Money(Decimal(draw(st.sampled_from(["50.00", "80.00", "120.00"]))), currency)
    event_id = draw(st.none() | st.sampled_from(["e1", "e2", "e3"]))
    if topic is ShopTopic.REFUND_CREATED:
        refund = Refund(
            id=f"r{draw(st.integers(1, 3))}",
            amount=ic.Money(Decimal("10.00"), currency),
            created_at=pendulum.datetime(2026, 3, 12, tz=PARIS),
        )
        return ShopEvent(topic, external, currency, refunds=(refund,), event_id=event_id)
    created = pendulum.datetime(2026, 3, draw(st.integers(1, 14)), 12, tz=PARIS)
    placement = OrderPlacement(
        external_id=external,
        name=f"#{number}",
        created_at=created,
        updated_at=created.add(hours=draw(st.integers(0, 3))),
        subtotal=money,
        total=money,
        discount_codes=draw(
            st.lists(st.sampled_from([*world.codes, "WELCOME"]), max_size=2).map(tuple)
        ),
        landing_site=draw(st.none() | st.sampled_from(world.landings)),
        click_token=draw(st.none() | st.sampled_from([*world.tokens, "forged.token"])),
        financial_status=draw(st.sampled_from(["pending", "paid"])),
        cancelled_at=draw(st.none() | st.just(created.add(days=1))),
        test=draw(st.booleans()) and number == 5,
    )
    refunded = draw(st.none() | st.just(ic.Money(Decimal("5.00"), currency)))
    return ShopEvent(
        topic,
        external,
        currency,
        placement=placement,
        refunded_total=refunded if topic is ShopTopic.CSV_EXPORT else None,
        event_id=event_id,
    )


def _state(ws: ic.Workspace) -> tuple[Any, Any, Any]:
    """Orders and receipts (without their storage version), and each order's events."""
    with ws.store.unit_of_work(read_only=True) as uow:
        orders = {o.id: attrs.evolve(o, version=0) for o in uow.orders.find()}
        receipts = {r.id: attrs.evolve(r, version=0) for r in uow.receipts.find()}
    events: dict[str, list[Any]] = {}
    for message in ws.store.outbox.all():
        event = message.event
        if type(event).__name__.startswith("Order"):
            events.setdefault(event.order_id, []).append(event)  # type: ignore[attr-defined]
    return orders, receipts, events


class TestBulkImport:
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data(), chunk=st.integers(1, 8))
    def test_the_same_outcome_as_event_by_event(
        self, world: World, tmp_path: Path, data: st.DataObject, chunk: int
    ) -> None:
        """For any events (orders of the export and of webhooks, refunds, retries, codes of
        several creators, clicks, forged tokens, currencies, test orders), the bulk import
        gives the answers, orders, receipts, events and attributions of applying each event
        on its own."""
        events = data.draw(
            st.lists(
                st.builds(lambda: None).flatmap(
                    lambda _: st.composite(lambda draw: _event(world, draw))()
                ),
                min_size=1,
                max_size=14,
            )
        )
        directory = tmp_path / str(len(list(tmp_path.iterdir())))
        directory.mkdir()
        paths = []
        for name in ("one", "bulk"):
            shutil.copy(world.path, directory / f"{name}.sqlite")
            paths.append(f"sqlite:///{directory / name}.sqlite")
        one, bulk = _workspace(paths[0]), _workspace(paths[1])
        try:
            answers = [one.sales.apply(MANAGER, "acme", SHOP, e) for e in events]
            bulk_answers = bulk.sales.apply_all(MANAGER, "acme", SHOP, events, chunk=chunk)
            assert bulk_answers == answers
            assert _state(bulk) == _state(one)
        finally:
            one.close()
            bulk.close()

    def test_twice_is_once(self, pair: tuple[ic.Workspace, ic.Workspace], world: World) -> None:
        """Importing the same webhook backlog again changes nothing and says duplicate."""
        _, bulk = pair
        events = [
            ShopEvent(
                ShopTopic.ORDER_CREATED,
                f"20{i}",
                "EUR",
                placement=OrderPlacement(
                    external_id=f"20{i}",
                    name=f"#{i}",
                    created_at=pendulum.datetime(2026, 3, 5, tz=PARIS),
                    updated_at=pendulum.datetime(2026, 3, 5, tz=PARIS),
                    subtotal=ic.Money.of(40, "EUR"),
                    total=ic.Money.of(40, "EUR"),
                    discount_codes=(world.codes[i % len(world.codes)],),
                ),
                event_id=f"evt{i}",
            )
            for i in range(30)
        ]
        first = bulk.sales.apply_all(MANAGER, "acme", SHOP, events, chunk=7)
        state = _state(bulk)
        again = bulk.sales.apply_all(MANAGER, "acme", SHOP, events, chunk=7)
        assert {a.status for a in first} == {"applied"}
        assert {a.status for a in again} == {"duplicate"}
        assert _state(bulk) == state

    def test_a_crash_mid_import_is_finished_by_importing_again(
        self, pair: tuple[ic.Workspace, ic.Workspace], world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A failure in the third chunk leaves the first two committed and nothing of the
        third; importing everything again gives the outcome of one clean import."""
        from influcampaign.services import _order_import

        clean, crashed = pair
        events = [
            ShopEvent(
                ShopTopic.ORDER_PAID,
                f"30{i}",
                "EUR",
                placement=OrderPlacement(
                    external_id=f"30{i}",
                    name=f"#{i}",
                    created_at=pendulum.datetime(2026, 3, 6, tz=PARIS),
                    updated_at=pendulum.datetime(2026, 3, 6, tz=PARIS),
                    subtotal=ic.Money.of(40, "EUR"),
                    total=ic.Money.of(40, "EUR"),
                    landing_site=world.landings[i % len(world.landings)],
                ),
                event_id=f"paid{i}",
            )
            for i in range(12)
        ]
        clean.sales.apply_all(MANAGER, "acme", SHOP, events, chunk=4)
        real = _order_import.apply_chunk
        calls = []

        def crashing(*args: Any) -> Any:
            calls.append(1)
            if len(calls) == 3:
                raise RuntimeError("the host died")
            return real(*args)

        monkeypatch.setattr(_order_import, "apply_chunk", crashing)
        with pytest.raises(RuntimeError, match="died"):
            crashed.sales.apply_all(MANAGER, "acme", SHOP, events, chunk=4, chunk_seconds=60)
        orders, _, _ = _state(crashed)
        assert len(orders) == 8
        monkeypatch.setattr(_order_import, "apply_chunk", real)
        again = crashed.sales.apply_all(MANAGER, "acme", SHOP, events, chunk=4)
        assert [a.status for a in again] == ["duplicate"] * 8 + ["applied"] * 4
        assert _state(crashed) == _state(clean)
