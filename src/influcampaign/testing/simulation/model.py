"""The state of a campaign simulation: two stores side by side, what the run created, and
how one call is driven on both stores and compared."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import attrs
import pendulum
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

from influcampaign.adapters.clock import FrozenClock
from influcampaign.adapters.ids import SequentialIds
from influcampaign.adapters.memory import MemoryStore
from influcampaign.adapters.payouts import MemoryPayouts
from influcampaign.adapters.rates import FixedRates
from influcampaign.adapters.shopify import ShopifyShop, ShopifyWebhooks
from influcampaign.analytics.audiences import AudienceDirectory
from influcampaign.domain.events import DomainEvent
from influcampaign.domain.principals import (
    BrandMember,
    ClientReviewer,
    CreatorUser,
    Principal,
    SystemActor,
)
from influcampaign.domain.tokens import SigningKeys
from influcampaign.errors import InflucampaignError
from influcampaign.ports import BotFilter, Store
from influcampaign.serialization import make_converter
from influcampaign.services.tracking import promo_code_id
from influcampaign.services.workspace import Workspace

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Paris")
BRAND = "acme"
SHOP = "acme.myshopify.com"
_SHOP_SECRET = "simulation-webhook-secret"  # noqa: S105 - the simulated shop's own secret
_KEYS = SigningKeys({"k1": b"a simulation signing key, 32 bytes+"}, current="k1")
_RATES = FixedRates({("USD", "EUR"): "0.9"}, source="simulation fixed rate")

_MEMBERS: Mapping[str, BrandMember] = {
    "owner": BrandMember("u_owner", BRAND, "owner"),
    "manager": BrandMember("u_manager", BRAND, "manager"),
    "analyst": BrandMember("u_analyst", BRAND, "analyst"),
    "viewer": BrandMember("u_viewer", BRAND, "viewer"),
    "stranger": BrandMember("u_rival", "globex", "manager"),
}
_MANAGER = _MEMBERS["manager"]
_KINDS = (
    "owner",
    "manager",
    "analyst",
    "viewer",
    "stranger",
    "reviewer",
    "outsider",
    "creator",
    "other_creator",
    "system",
)
"""Every kind of principal: brand members of each role, another brand's manager, a client
reviewer invited to the campaigns and one invited to none, the creator concerned, another
creator, and the system."""

_REPOSITORIES = (
    "creators",
    "groups",
    "campaigns",
    "applications",
    "participations",
    "shipments",
    "messages",
    "templates",
    "submissions",
    "jobs",
    "deliverables",
    "links",
    "clicks",
    "promo_codes",
    "orders",
    "receipts",
    "costs",
    "rate_cards",
    "reviews",
    "drafts",
    "earned_mentions",
    "usage_rights",
    "commissions",
    "statements",
    "contests",
    "contest_entries",
    "brand_events",
)

_PICK = st.integers(0, 1_000)
_PLATFORMS = st.sampled_from(["instagram", "tiktok"])
_FORMATS = st.sampled_from(["post", "reel", "story"])
_TEMPLATES = (
    "Welcome {creator_name} to {campaign_name}! {message}",
    "Hi {creator_name}, {message}",
    "Your parcel left with {carrier}: {tracking_url}",
    "{creator.__class__}",
    "Hello {nobody}",
)


def _actors(main: str, weight: int = 6) -> st.SearchStrategy[str]:
    """Mostly the principal who may act, sometimes anyone else."""
    return st.sampled_from([main] * weight + list(_KINDS))


class _Robots:
    """A bot filter for hosts without the ``tracking`` extra: known agents and empty ones."""

    def bot_name(self, user_agent: str) -> str | None:
        if not user_agent.strip():
            return "empty user agent"
        lowered = user_agent.lower()
        for word in ("bot", "whatsapp", "facebookexternalhit"):
            if word in lowered:
                return word
        return None


def _bots() -> BotFilter:
    try:
        from influcampaign.adapters.bots import KnownBots

        return KnownBots()
    except ImportError:  # pragma: no cover - the extra is installed in the suite
        return _Robots()


@attrs.define
class _Side:
    """One store, its workspace and what this run knows only per store (slugs, codes)."""

    ws: Workspace
    hooks: ShopifyWebhooks
    audiences: AudienceDirectory
    slugs: list[str] = attrs.Factory(list)
    codes: list[str] = attrs.Factory(list)
    tokens: list[str] = attrs.Factory(list)
    renames: list[tuple[str, str]] = attrs.Factory(list)

    def rename(self) -> None:
        """The per-store random strings, longest first, with their stable names."""
        pairs = [(slug, f"<slug{i}>") for i, slug in enumerate(self.slugs)]
        for i, code in enumerate(self.codes):
            pairs += [
                (promo_code_id(BRAND, code), f"<code-id{i}>"),
                (code, f"<code{i}>"),
                (code.lower(), f"<code{i}>"),
            ]
        self.renames = sorted(pairs, key=lambda p: -len(p[0]))

    def canon(self, text: str) -> str:
        """``text`` with this store's random strings replaced by stable names."""
        for old, new in self.renames:
            if old in text:
                text = text.replace(old, new)
        return text


@attrs.define
class _Delivery:
    """A webhook as Shopify would send it, to each store (codes and slugs differ)."""

    topic: str
    bodies: tuple[bytes, bytes]
    event_id: str


@attrs.frozen
class _Outcome:
    """What one call gave on one store: a value, or a typed error."""

    ok: bool
    value: Any
    summary: Any


class SimulationModel(RuleBasedStateMachine):
    """The two stores side by side, what the run created so far, and how one call is made on
    both stores and compared."""

    make_store: Callable[[], Store]
    statistics: ClassVar[Counter[str]] = Counter()
    """Histories, steps, calls, refusals and read-model outcomes since the process started."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FrozenClock(T0)
        self.converter = make_converter()
        stores = (MemoryStore(ids=SequentialIds()), type(self).make_store())
        stores[1].migrate()
        bots = _bots()
        self.sides: list[_Side] = []
        for store in stores:
            ws = Workspace(
                store,
                self.clock,
                ids=SequentialIds(),
                keys=_KEYS,
                rates=_RATES,
                bots=bots,
                payouts=MemoryPayouts(),
            )
            hooks = ShopifyWebhooks(ws, {SHOP: ShopifyShop(BRAND, (_SHOP_SECRET,))})
            self.sides.append(_Side(ws, hooks, AudienceDirectory()))
        self.creators: list[str] = []
        self.groups: list[str] = []
        self.campaigns: list[str] = []
        self.applications: list[str] = []
        self.participations: list[str] = []
        self.shipments: list[str] = []
        self.deliverables: list[str] = []
        self.submissions: list[str] = []
        self.drafts: list[str] = []
        self.rights: list[str] = []
        self.post_authors: dict[str, set[str]] = {}  # post id → the handles that posted it
        self.costs: list[str] = []
        self.templates: list[str] = []
        self.contests: list[str] = []
        self.brand_events: list[str] = []
        self.orders: list[tuple[str, str]] = []  # (external id, currency)
        self.queue: list[_Delivery] = []
        self.visits: dict[tuple[int, str, str], list[pendulum.DateTime]] = {}
        self.focus: str | None = None  # the campaign the last step touched
        self.serial = 0
        self.memory_state: dict[str, Any] | None = None
        self.checked: tuple[Any, ...] = ()
        self.rotation = 0
        self.statistics["histories"] += 1

    def teardown(self) -> None:
        for side in self.sides:
            side.ws.close()

    # -- driving both stores ---------------------------------------------------------------

    def _next(self) -> int:
        self.serial += 1
        return self.serial

    @staticmethod
    def _pick(items: list[str], index: int) -> str | None:
        return items[index % len(items)] if items else None

    def _who(self, kind: str, creator_id: str | None = None) -> Principal:
        """The principal of ``kind``; "creator" is ``creator_id`` (else a creator of the run)."""
        if kind in _MEMBERS:
            return _MEMBERS[kind]
        if kind in ("reviewer", "outsider"):
            # attrs' frozenset converter leaves mypy an unbound type variable: hence Any.
            invited: Any = frozenset(self.campaigns if kind == "reviewer" else ())
            return ClientReviewer(f"client_{kind}", BRAND, invited)
        if kind == "system":
            return SystemActor()
        if kind == "creator":
            return CreatorUser(creator_id or (self.creators[0] if self.creators else "cre_ghost"))
        others = [c for c in self.creators if c != creator_id]
        return CreatorUser(others[-1] if others else "cre_ghost")

    def _plain(self, side: _Side, value: Any) -> Any:
        """``value`` as comparable plain data, with the store's random strings renamed."""
        if isinstance(value, str):
            return side.canon(value)
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, bytes):
            return side.canon(value.decode("utf-8", "replace"))
        if attrs.has(type(value)):
            return {
                "@": type(value).__name__,
                **{
                    f.name: self._plain(side, getattr(value, f.name))
                    for f in attrs.fields(type(value))
                    if not f.name.startswith("_")  # caches, such as a ranking's arrays
                },
            }
        if isinstance(value, Mapping):
            items = [(self._plain(side, k), self._plain(side, v)) for k, v in value.items()]
            return sorted(items, key=lambda kv: json.dumps(kv, sort_keys=True, default=str))
        if isinstance(value, set | frozenset):
            return sorted(
                (self._plain(side, v) for v in value),
                key=lambda v: json.dumps(v, sort_keys=True, default=str),
            )
        if isinstance(value, list | tuple):
            return [self._plain(side, v) for v in value]
        return side.canon(str(value))

    def _state(self, index: int) -> dict[str, Any]:
        """Every aggregate and the outbox of one store, renamed and in a stable order."""
        side = self.sides[index]
        store = side.ws.store
        state: dict[str, Any] = {}
        with store.unit_of_work(read_only=True) as uow:
            for name in _REPOSITORIES:
                state[name] = sorted(
                    side.canon(json.dumps(self.converter.unstructure(x), sort_keys=True))
                    for x in getattr(uow, name).find()
                )
        state["outbox"] = [
            side.canon(json.dumps(self.converter.unstructure(m.event, DomainEvent), sort_keys=True))
            for m in store.outbox.all()
        ]
        return state

    def _memory(self) -> dict[str, Any]:
        if self.memory_state is None:
            self.memory_state = self._state(0)
        return self.memory_state

    def _call(
        self,
        action: Callable[[_Side], Any],
        *,
        write: bool = True,
        what: str = "",
        learn: Callable[[_Side, Any], None] | None = None,
        changes_nothing: Callable[[Any], bool] | None = None,
    ) -> list[_Outcome]:
        """Run ``action`` on both stores; both must answer alike (the same value, or the same
        typed error), and a refused call — or one whose answer says ``changes_nothing`` —
        must change nothing, in the state or the outbox.

        The stores agree before each call, so the state of the store under test before its
        own call is the reference both are compared with after a refusal (no snapshot is
        taken for calls that succeed). ``learn`` keeps what a store answered that is random
        (a slug, a code suffix) before the answers are compared."""
        outcomes: list[_Outcome] = []
        reference: dict[str, Any] | None = None
        for index, side in enumerate(self.sides):
            try:
                value = action(side)
            except InflucampaignError as error:
                outcome = _Outcome(False, error, (type(error).__name__, side.canon(str(error))))
            else:
                if learn is not None:
                    learn(side, value)
                    side.rename()
                outcome = _Outcome(True, value, self._plain(side, value))
            outcomes.append(outcome)
            unchanged = not outcome.ok or (changes_nothing is not None and changes_nothing(value))
            if index == 0:
                if write and not unchanged:
                    self.memory_state = None
                if unchanged:
                    reference = self._state(1)
                    self.memory_state = self._state(0)
                    _same_state(reference, self.memory_state, f"{what} ({outcome.summary})")
            elif unchanged and reference is not None:
                _same_state(reference, self._state(1), f"{what} on the store under test")
        assert outcomes[0].summary == outcomes[1].summary, (
            f"{what}: the memory store gave {outcomes[0].summary!r}, "
            f"the store under test {outcomes[1].summary!r}"
        )
        self.statistics["calls"] += 1
        if not outcomes[0].ok:
            self.statistics["refused"] += 1
            event(f"{what} refused: {type(outcomes[0].value).__name__}")
        for side in self.sides:
            side.rename()
        return outcomes

    def _step(self, name: str) -> None:
        self.statistics["steps"] += 1
        self.statistics[f"step {name}"] += 1

    def _creator_of(self, participation_id: str) -> str:
        return self.sides[0].ws.participations.get(SystemActor(), participation_id).creator_id

    def _campaign_of(self, participation_id: str) -> str:
        return self.sides[0].ws.participations.get(SystemActor(), participation_id).campaign_id


def _same_state(before: Mapping[str, Any], after: Mapping[str, Any], what: str) -> None:
    """Assert two states are equal, naming the first table that differs."""
    if before == after:
        return
    for name in before:
        if before[name] != after[name]:
            gone = [x for x in before[name] if x not in after[name]]
            new = [x for x in after[name] if x not in before[name]]
            raise AssertionError(f"{what}: {name} differs; only before: {gone}; only after: {new}")
    raise AssertionError(f"{what}: the states differ")  # pragma: no cover - same keys
