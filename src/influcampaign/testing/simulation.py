"""A Hypothesis state machine that runs whole campaigns on two stores side by side.

Random but legal-or-refused histories of marketplace offers and projects are driven through
the public services only — registrations, groups, applications and their decisions, the
creator list and its approval, shipments, deliverables, submissions with random captions and
metrics, validations and re-openings, messages, clock jumps with scheduler runs, tracked links
and clicks, signed Shopify webhooks (retried, reordered, refunded, cancelled), costs, reviews
and the campaign's end — by every kind of principal, including ones that must be refused.

After every step it checks that the memory store and the store under test hold the same
aggregates and outbox, that a refused call changed nothing, that every read model computes or
raises a typed :class:`~influcampaign.errors.InflucampaignError` (never another exception)
and that its totals reconcile with their parts, that each scheduled job acted once, and that
no principal reads what the access policy denies.

    TestSqliteSimulation = campaign_simulation(lambda: SqlStore("sqlite:///…")).TestCase

Ids are sequential and the clock is frozen, so both stores see the same ids and times; the
only random values (link slugs and promo-code suffixes) are mapped to stable names before
anything is compared.
"""

from __future__ import annotations

import base64
import datetime as _dt
import functools
import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import attrs
import pendulum
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from influcampaign.adapters.clock import FrozenClock
from influcampaign.adapters.ids import SequentialIds
from influcampaign.adapters.memory import MemoryStore
from influcampaign.adapters.rates import FixedRates
from influcampaign.adapters.shopify import (
    ShopifyShop,
    ShopifyWebhooks,
    WebhookResponse,
    read_orders_csv,
)
from influcampaign.analytics.audiences import AudienceDirectory
from influcampaign.analytics.report import Budget, BudgetLine, CampaignReport
from influcampaign.domain.access import AccessPolicy, Permission, Resource
from influcampaign.domain.brief import BriefRequirements
from influcampaign.domain.calendar import EntryKind
from influcampaign.domain.campaign import (
    CampaignMode,
    CampaignPolicies,
    CampaignStatus,
    Compensation,
    DateWindow,
)
from influcampaign.domain.creator import AudienceStats
from influcampaign.domain.emv import EmvRate, RateCard
from influcampaign.domain.events import DomainEvent
from influcampaign.domain.money import Money
from influcampaign.domain.policies import (
    ApplicationPolicy,
    AttributionPolicy,
    AttributionRule,
    EmvPolicy,
    ListApprovalPolicy,
    ValidationPolicy,
)
from influcampaign.domain.principals import (
    BrandMember,
    ClientReviewer,
    CreatorUser,
    Principal,
    SystemActor,
)
from influcampaign.domain.shipment import ShipmentItem
from influcampaign.domain.tokens import SigningKeys
from influcampaign.errors import InflucampaignError, PermissionDenied
from influcampaign.ports import BotFilter, Store
from influcampaign.rules.delivery import DeliveryLine, DeliveryProgress
from influcampaign.serialization import make_converter
from influcampaign.services.sales import SalesLine, SalesReport
from influcampaign.services.tracking import promo_code_id
from influcampaign.services.workspace import Workspace
from influcampaign.testing import strategies as ics
from influcampaign.testing.simulation_kinds import KindSteps

__all__ = ["CampaignSimulation", "campaign_simulation"]

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


class CampaignSimulation(KindSteps, RuleBasedStateMachine):
    """Whole campaigns driven on the memory store and the store under test at once."""

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
                store, self.clock, ids=SequentialIds(), keys=_KEYS, rates=_RATES, bots=bots
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

    @initialize(
        cast=st.lists(
            st.tuples(
                st.integers(0, 300_000),
                st.none() | st.floats(0.005, 0.15),
                st.sampled_from(["shared", "shared", "shared", "hidden", "opted_out"]),
                st.lists(st.integers(0, 40), max_size=12),
            ),
            min_size=2,
            max_size=4,
        ),
        currency=st.sampled_from(["EUR", "EUR", "USD", "GBP", None]),
        cap=st.sampled_from([None, 1, 2]),
        jurisdiction=st.sampled_from([None, "FR", "US"]),
        accepted=st.integers(0, 4),
        confirmed=st.integers(0, 4),
        content=st.booleans(),
        tracking=st.booleans(),
        costs=st.booleans(),
        caption=ics.captions(),
        metrics=st.none() | ics.metrics(),
    )
    def cast(
        self,
        cast: list[tuple[int, float | None, str, list[int]]],
        currency: str | None,
        cap: int | None,
        jurisdiction: str | None,
        accepted: int,
        confirmed: int,
        content: bool,
        tracking: bool,
        costs: bool,
        caption: str,
        metrics: Any,
    ) -> None:
        """A brand with a few creators, an open offer they applied to (some accepted), a
        running project from a group with everyone on its list (some confirmed), and maybe
        deliverables, delivered parcels, links, codes and costs for those who are in."""
        for followers, rate, data, audience in cast:
            self.register("manager", followers, rate, frozenset({"beauty"}), "FR", data, audience)
        self.create_group("manager", list(range(len(self.creators))), False)
        for marketplace in (True, False):
            self.create_campaign(
                actor="manager",
                marketplace=marketplace,
                currency=currency,
                fee="150",
                product="49.90",
                cap=cap,
                approvals=1,
                jurisdiction=jurisdiction,
                group=None if marketplace else 0,
                start_days=-1,
                length_days=30,
                timezone="Europe/Paris",
                attribution=AttributionRule.CODE_WINS,
                remind=1,
            )
        if len(self.campaigns) < 2:
            return
        self.campaign_moves("manager", 0, "open")
        for i in range(len(self.creators)):
            self.apply("creator", 0, i)
        for i in range(min(accepted, len(self.applications))):
            self.decide("manager", [i], "accept", None, "Welcome!", None)
        in_offer = len(self.participations)
        self.campaign_moves("manager", 1, "start")
        self.put_on_list("manager", 1, 0, 0)
        for i in range(in_offer, min(in_offer + confirmed, len(self.participations))):
            self.participation_moves("creator", i, "confirm")
        for i in range(len(self.participations)):
            if content:
                self.plan_deliverable("manager", i, "instagram", "post", 1, 2, None, 6)
                shipped = len(self.shipments)
                self.ship("manager", i, True)
                if len(self.shipments) > shipped:
                    self.parcel_moves("creator", shipped, "deliver", None)
                    self.submit("creator", i, "instagram", "post", 1, caption, "", metrics)
            if tracking:
                self.create_link("manager", i)
                self.create_code("manager", i, None, 10)
        if costs:
            for campaign in range(2):
                self.plan_cost("manager", campaign, None, "fee", "0", "EUR", False, True)
        self.focus = self.campaigns[1]

    # -- creators and groups ---------------------------------------------------------------

    @precondition(lambda self: len(self.creators) < 7)
    @rule(
        actor=st.sampled_from(
            ["manager"] * 4 + ["self", "self", "stranger", "viewer", "other_creator"]
        ),
        followers=st.integers(0, 2_000_000),
        rate=st.none() | st.floats(0.001, 0.2),
        themes=st.frozensets(
            st.sampled_from(["beauty", "food", "travel", "gardening"]), max_size=2
        ),
        country=st.sampled_from([None, "FR", "BE", "GB"]),
        data=st.sampled_from(["shared", "shared", "shared", "hidden", "opted_out"]),
        audience=st.lists(st.integers(0, 40), max_size=12),
        contact=st.none() | ics.contact_details(),
    )
    def register(
        self,
        actor: str,
        followers: int,
        rate: float | None,
        themes: frozenset[str],
        country: str | None,
        data: str,
        audience: list[int],
        contact: Any = None,
    ) -> None:
        """A creator registers itself, or a brand registers one (with its personal data)."""
        self._step("register")
        number = self._next()
        own_id = f"cre_self{number}" if actor == "self" else None
        principal = CreatorUser(own_id) if own_id else self._who(actor)
        outcomes = self._call(
            lambda side: side.ws.creators.register(
                principal,
                f"Creator {number}",
                id=own_id,
                handles={"instagram": f"creator.{number}"},
                audience={"instagram": AudienceStats(followers, engagement_rate=rate)},
                themes=themes,
                country=country,
                language="fr",
                audience_data=data,
                contact=contact,
            ),
            what="creators.register",
        )
        if outcomes[0].ok:
            creator_id = outcomes[0].value.id
            self.creators.append(creator_id)
            for side in self.sides:
                side.audiences.add(creator_id, "instagram", audience)

    @precondition(lambda self: bool(self.creators))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        data=st.sampled_from(["shared", "hidden", "opted_out"]),
        followers=st.integers(0, 200_000),
    )
    def update_creator(self, actor: str, pick: int, data: str, followers: int) -> None:
        """A creator (or the brand) changes its audience or whether it shares it."""
        self._step("update_creator")
        creator = self._pick(self.creators, pick)
        if creator is None:
            return
        principal = self._who("creator" if actor == "manager" and pick % 2 else actor, creator)
        self._call(
            lambda side: side.ws.creators.update(
                principal,
                creator,
                audience_data=data,
                audience={"instagram": AudienceStats(followers)},
            ),
            what="creators.update",
        )

    @rule(actor=_actors("manager"), picks=st.lists(_PICK, max_size=3), ghost=st.booleans())
    def create_group(self, actor: str, picks: list[int], ghost: bool) -> None:
        """A brand groups creators (an unknown creator is refused)."""
        self._step("create_group")
        members = [c for i in picks if (c := self._pick(self.creators, i))]
        if ghost:
            members.append("cre_ghost")
        outcomes = self._call(
            lambda side: side.ws.groups.create(
                self._who(actor), brand_id=BRAND, name="Spring list", creator_ids=members
            ),
            what="groups.create",
        )
        if outcomes[0].ok:
            self.groups.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.groups))
    @rule(actor=_actors("manager"), pick=_PICK, who=_PICK, add=st.booleans())
    def change_group(self, actor: str, pick: int, who: int, add: bool) -> None:
        """Creators are added to or removed from a group."""
        self._step("change_group")
        group, creator = self._pick(self.groups, pick), self._pick(self.creators, who)
        if group is None or creator is None:
            return
        self._call(
            lambda side: (side.ws.groups.add_creators if add else side.ws.groups.remove_creators)(
                self._who(actor), group, [creator]
            ),
            what="groups.change",
        )

    # -- campaigns ---------------------------------------------------------------------------

    @precondition(lambda self: len(self.campaigns) < 3)
    @rule(
        actor=_actors("manager"),
        marketplace=st.booleans(),
        currency=st.sampled_from(["EUR", "EUR", "USD", "GBP", None]),
        fee=st.sampled_from([None, "150", "0"]),
        product=st.sampled_from([None, "49.90"]),
        cap=st.sampled_from([None, None, 1, 2]),
        approvals=st.sampled_from([1, 1, 2]),
        jurisdiction=st.sampled_from([None, "FR", "US", "UK"]),
        group=st.none() | _PICK,
        start_days=st.integers(-3, 4),
        length_days=st.integers(1, 45),
        timezone=st.sampled_from(["Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC"]),
        attribution=st.sampled_from(list(AttributionRule)),
        remind=st.sampled_from([0, 1]),
    )
    def create_campaign(
        self,
        actor: str,
        marketplace: bool,
        currency: str | None,
        fee: str | None,
        product: str | None,
        cap: int | None,
        approvals: int,
        jurisdiction: str | None,
        group: int | None,
        start_days: int,
        length_days: int,
        timezone: str,
        attribution: AttributionRule,
        remind: int,
    ) -> None:
        """A brand creates an offer or a project, in some currency, with some policies."""
        self._step("create_campaign")
        compensation = Compensation(
            fee=None if currency is None or fee is None else Money.of(fee, currency),
            product_value=None
            if currency is None or product is None
            else Money.of(product, currency),
        )
        start = self.clock.now().in_timezone(timezone).start_of("day").add(days=start_days)
        group_id = None if group is None else self._pick(self.groups, group)
        policies = CampaignPolicies(
            applications=ApplicationPolicy(max_accepted=cap, pending_alert_days=2),
            list_approval=ListApprovalPolicy(required_approvals=approvals),
            validation=ValidationPolicy(remind_days_before=remind),
            attribution=AttributionPolicy(rule=attribution, window_days=7),
        )
        outcomes = self._call(
            lambda side: side.ws.campaigns.create(
                self._who(actor),
                brand_id=BRAND,
                brand_name="Acme",
                name=f"Campaign {len(self.campaigns) + 1}",
                kind="product_placement",
                mode="marketplace" if marketplace else "project",
                start=start,
                end=start.add(days=length_days),
                timezone=timezone,
                compensation=compensation,
                hashtags=["#SpringGlow"],
                mentions=["@acme"],
                group_id=group_id,
                policies=policies,
                requirements=BriefRequirements(jurisdiction=jurisdiction),
            ),
            what="campaigns.create",
        )
        if outcomes[0].ok:
            self.campaigns.append(outcomes[0].value.id)
            self.focus = outcomes[0].value.id

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        action=st.sampled_from(["open", "open", "start", "start", "end", "review", "cancel"]),
    )
    def campaign_moves(self, actor: str, pick: int, action: str) -> None:
        """A campaign opens, starts, ends, closes its review, or is cancelled."""
        self._step("campaign_moves")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        self.focus = campaign
        self._call(
            lambda side: getattr(side.ws.campaigns, action)(self._who(actor), campaign),
            what=f"campaigns.{action}",
        )

    # -- applications and the creator list --------------------------------------------------

    @precondition(lambda self: bool(self.campaigns))
    @rule(actor=_actors("creator"), pick=_PICK, who=_PICK)
    def apply(self, actor: str, pick: int, who: int) -> None:
        """A creator applies to an offer (maybe a project, a closed offer, or twice)."""
        self._step("apply")
        campaign, creator = self._pick(self.campaigns, pick), self._pick(self.creators, who)
        if campaign is None or creator is None:
            return
        self.focus = campaign
        outcomes = self._call(
            lambda side: side.ws.applications.apply(
                self._who(actor, creator), campaign, creator, pitch="I love it"
            ),
            what="applications.apply",
        )
        if outcomes[0].ok:
            self.applications.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.applications))
    @rule(
        actor=_actors("manager"),
        picks=st.lists(_PICK, min_size=1, max_size=3),
        decision=st.sampled_from(["accept", "accept", "refuse", "accept_many", "refuse_many"]),
        template=st.none() | _PICK,
        message=st.sampled_from([None, "Welcome!", "  "]),
        reason=st.sampled_from([None, "out_of_target", "budget"]),
    )
    def decide(
        self,
        actor: str,
        picks: list[int],
        decision: str,
        template: int | None,
        message: str | None,
        reason: str | None,
    ) -> None:
        """The brand accepts or refuses applications, with a message or a template."""
        self._step("decide")
        chosen = [a for i in picks if (a := self._pick(self.applications, i))]
        if not chosen:
            return
        template_id = None if template is None else self._pick(self.templates, template)
        principal = self._who(actor)
        extra: dict[str, Any] = {} if "accept" in decision else {"reason": reason}

        def act(side: _Side) -> Any:
            service = side.ws.applications
            if decision.endswith("_many"):
                return getattr(service, decision)(
                    principal, chosen, message=message, template_id=template_id, **extra
                )
            return getattr(service, decision)(
                principal, chosen[0], message=message, template_id=template_id, **extra
            )

        outcomes = self._call(act, what=f"applications.{decision}")
        if outcomes[0].ok and "accept" in decision:
            accepted = outcomes[0].value
            for p in accepted if isinstance(accepted, list) else [accepted]:
                if p.id not in self.participations:
                    self.participations.append(p.id)

    @precondition(lambda self: bool(self.applications))
    @rule(actor=_actors("creator"), pick=_PICK)
    def withdraw(self, actor: str, pick: int) -> None:
        """A creator withdraws its application."""
        self._step("withdraw")
        application = self._pick(self.applications, pick)
        if application is None:
            return
        owner = self.sides[0].ws.applications.get(SystemActor(), application).creator_id
        self._call(
            lambda side: side.ws.applications.withdraw(self._who(actor, owner), application),
            what="applications.withdraw",
        )

    @precondition(lambda self: bool(self.campaigns))
    @rule(actor=_actors("manager"), pick=_PICK, who=_PICK, group=st.none() | _PICK)
    def put_on_list(self, actor: str, pick: int, who: int, group: int | None) -> None:
        """The brand puts a creator on a campaign's list, or invites a group."""
        self._step("put_on_list")
        campaign = self._pick(self.campaigns, pick)
        creator = self._pick(self.creators, who)
        if campaign is None or creator is None:
            return
        self.focus = campaign
        principal = self._who(actor)
        if group is None:
            outcomes = self._call(
                lambda side: [side.ws.participations.add(principal, campaign, creator)],
                what="participations.add",
            )
        else:
            group_id = self._pick(self.groups, group)
            outcomes = self._call(
                lambda side: side.ws.participations.invite_group(principal, campaign, group_id),
                what="participations.invite_group",
            )
        if outcomes[0].ok:
            self.participations.extend(p.id for p in outcomes[0].value)

    @precondition(lambda self: bool(self.campaigns))
    @rule(actor=_actors("manager"), pick=_PICK)
    def submit_list(self, actor: str, pick: int) -> None:
        """The brand sends the proposed creators to a client reviewer."""
        self._step("submit_list")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        self.focus = campaign
        self._call(
            lambda side: side.ws.participations.submit_for_approval(
                self._who(actor), campaign, ["client_reviewer"]
            ),
            what="participations.submit_for_approval",
        )

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=st.sampled_from(["reviewer"] * 4 + ["manager", "owner"] + list(_KINDS)),
        pick=_PICK,
        verdict=st.sampled_from(["approve", "approve", "reject"]),
    )
    def review_list(self, actor: str, pick: int, verdict: str) -> None:
        """A reviewer approves or rejects a proposed creator."""
        self._step("review_list")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self._call(
            lambda side: side.ws.participations.review(
                self._who(actor, self._creator_of(participation)), participation, verdict
            ),
            what="participations.review",
        )

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=_actors("creator", 3),
        pick=_PICK,
        action=st.sampled_from(["confirm", "confirm", "decline", "complete", "drop"]),
    )
    def participation_moves(self, actor: str, pick: int, action: str) -> None:
        """The creator confirms or declines; the brand completes or drops it."""
        self._step("participation_moves")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        creator = self._creator_of(participation)
        kind = "manager" if actor == "creator" and action in ("complete", "drop") else actor
        self._call(
            lambda side: getattr(side.ws.participations, action)(
                self._who(kind, creator), participation
            ),
            what=f"participations.{action}",
        )

    def _creator_of(self, participation_id: str) -> str:
        return self.sides[0].ws.participations.get(SystemActor(), participation_id).creator_id

    def _campaign_of(self, participation_id: str) -> str:
        return self.sides[0].ws.participations.get(SystemActor(), participation_id).campaign_id

    # -- messages ----------------------------------------------------------------------------

    @rule(
        actor=_actors("manager"),
        kind=st.sampled_from(["acceptance", "refusal", "shipping", "reminder"]),
        body=st.sampled_from(_TEMPLATES),
    )
    def save_template(self, actor: str, kind: str, body: str) -> None:
        """The brand saves a message template (unsafe placeholders are refused)."""
        self._step("save_template")
        outcomes = self._call(
            lambda side: side.ws.messages.save_template(
                self._who(actor), brand_id=BRAND, kind=kind, name=f"{kind} template", body=body
            ),
            what="messages.save_template",
        )
        if outcomes[0].ok:
            self.templates.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.participations))
    @rule(actor=_actors("creator", 3), pick=_PICK, read=st.booleans())
    def talk(self, actor: str, pick: int, read: bool) -> None:
        """The brand or the creator writes in a thread, or marks it read."""
        self._step("talk")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        principal = self._who(actor, self._creator_of(participation))
        if read:
            self._call(
                lambda side: side.ws.messages.mark_read(principal, participation),
                what="messages.mark_read",
            )
        else:
            self._call(
                lambda side: side.ws.messages.send(principal, participation, "Any news?"),
                what="messages.send",
            )

    # -- shipments ---------------------------------------------------------------------------

    @precondition(lambda self: bool(self.participations))
    @rule(actor=_actors("manager"), pick=_PICK, tracked=st.booleans())
    def ship(self, actor: str, pick: int, tracked: bool) -> None:
        """The brand prepares a parcel and ships it (the creator is told)."""
        self._step("ship")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        principal = self._who(actor)
        items = [ShipmentItem("Serum", 1, Money.of("29", "EUR"))]
        outcomes = self._call(
            lambda side: side.ws.shipments.create(principal, participation, items),
            what="shipments.create",
        )
        if not outcomes[0].ok:
            return
        shipment = outcomes[0].value.id
        self.shipments.append(shipment)
        self._call(
            lambda side: side.ws.shipments.ship(
                principal,
                shipment,
                carrier="Colissimo",
                tracking_url="https://www.laposte.fr/suivi?code=6A1" if tracked else None,
            ),
            what="shipments.ship",
        )

    @precondition(lambda self: bool(self.shipments))
    @rule(
        actor=_actors("creator", 3),
        pick=_PICK,
        action=st.sampled_from(["deliver", "deliver", "lose", "return_"]),
        hours_ago=st.sampled_from([None, 0, 2]),
    )
    def parcel_moves(self, actor: str, pick: int, action: str, hours_ago: int | None) -> None:
        """A parcel is delivered (maybe told later), lost, or returned."""
        self._step("parcel_moves")
        shipment = self._pick(self.shipments, pick)
        if shipment is None:
            return
        owner = self.sides[0].ws.shipments.get(SystemActor(), shipment).creator_id
        kind = "manager" if actor == "creator" and action != "deliver" else actor
        principal = self._who(kind, owner)
        if action == "deliver":
            at = None if hours_ago is None else self.clock.now().subtract(hours=hours_ago)
            self._call(
                lambda side: side.ws.shipments.deliver(principal, shipment, at=at),
                what="shipments.deliver",
            )
        else:
            self._call(
                lambda side: getattr(side.ws.shipments, action)(principal, shipment),
                what=f"shipments.{action}",
            )

    # -- content -----------------------------------------------------------------------------

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        platform=_PLATFORMS,
        format=_FORMATS,
        quantity=st.integers(1, 2),
        planned=st.none() | st.integers(-2, 20),
        time=st.none() | st.sampled_from([_dt.time(9, 0), _dt.time(18, 30)]),
        due=st.none() | st.integers(-1, 25),
    )
    def plan_deliverable(
        self,
        actor: str,
        pick: int,
        platform: str,
        format: str,
        quantity: int,
        planned: int | None,
        time: _dt.time | None,
        due: int | None,
    ) -> None:
        """The brand plans what a creator owes (some dates are inconsistent)."""
        self._step("plan_deliverable")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        today = self.clock.now().in_timezone("Europe/Paris").date()
        outcomes = self._call(
            lambda side: side.ws.deliverables.plan(
                self._who(actor),
                participation,
                platform=platform,
                format=format,
                quantity=quantity,
                planned_on=None if planned is None else today + _dt.timedelta(days=planned),
                planned_time=time,
                due_on=None if due is None else today + _dt.timedelta(days=due),
            ),
            what="deliverables.plan",
        )
        if outcomes[0].ok:
            self.deliverables.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.deliverables))
    @rule(actor=_actors("manager"), pick=_PICK, days=st.none() | st.integers(-3, 10))
    def move_deliverable(self, actor: str, pick: int, days: int | None) -> None:
        """The brand moves a deliverable's date, or cancels it (days None)."""
        self._step("move_deliverable")
        deliverable = self._pick(self.deliverables, pick)
        if deliverable is None:
            return
        principal = self._who(actor)
        if days is None:
            self._call(
                lambda side: side.ws.deliverables.cancel(principal, deliverable, reason="dropped"),
                what="deliverables.cancel",
            )
            return
        day = self.clock.now().in_timezone("Europe/Paris").date() + _dt.timedelta(days=days)
        self._call(
            lambda side: side.ws.deliverables.reschedule(principal, deliverable, planned_on=day),
            what="deliverables.reschedule",
        )

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=_actors("creator"),
        pick=_PICK,
        platform=_PLATFORMS,
        format=_FORMATS,
        hours_ago=st.integers(0, 72),
        caption=ics.captions(),
        on_screen=st.sampled_from(["", "Publicité", "#ad"]),
        metrics=st.none() | ics.metrics(),
    )
    def submit(
        self,
        actor: str,
        pick: int,
        platform: str,
        format: str,
        hours_ago: int,
        caption: str,
        on_screen: str,
        metrics: Any,
    ) -> None:
        """A creator submits a published content, with a caption and maybe metrics."""
        self._step("submit")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        number = self._next()
        principal = self._who(actor, self._creator_of(participation))
        outcomes = self._call(
            lambda side: side.ws.submissions.submit(
                principal,
                participation,
                url=f"https://www.{platform}.com/p/sim{number}/",
                platform=platform,
                format=format,
                published_at=self.clock.now().subtract(hours=hours_ago),
                caption=caption,
                on_screen_text=on_screen,
                metrics=metrics,
            ),
            what="submissions.submit",
        )
        if outcomes[0].ok:
            self.submissions.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.submissions))
    @rule(actor=_actors("creator", 3), pick=_PICK, metrics=ics.metrics())
    def record_metrics(self, actor: str, pick: int, metrics: Any) -> None:
        """New metrics for a content (figures not given are kept)."""
        self._step("record_metrics")
        submission = self._pick(self.submissions, pick)
        if submission is None:
            return
        owner = self.sides[0].ws.submissions.get(SystemActor(), submission).creator_id
        self._call(
            lambda side: side.ws.submissions.record_metrics(
                self._who(actor, owner), submission, metrics
            ),
            what="submissions.record_metrics",
        )

    @precondition(lambda self: bool(self.submissions))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        action=st.sampled_from(["validate", "validate", "reopen", "check_brief"]),
        compliance=st.integers(-5, 105),
    )
    def judge(self, actor: str, pick: int, action: str, compliance: int) -> None:
        """The brand validates a content, re-opens it, or checks its brief again."""
        self._step("judge")
        submission = self._pick(self.submissions, pick)
        if submission is None:
            return
        principal = self._who(actor)

        def call(side: _Side) -> Any:
            service = side.ws.submissions
            if action == "validate":
                return service.validate(
                    principal, submission, compliance=compliance, feedback="thanks"
                )
            if action == "reopen":
                return service.reopen(principal, submission, reason="the code is missing")
            return service.check_brief(principal, submission, promo_codes=side.codes[-1:])

        self._call(call, what=f"submissions.{action}")

    # -- time --------------------------------------------------------------------------------

    @rule(
        hours=st.sampled_from([1, 6, 20, 24, 49, 24 * 3, 24 * 7 + 5]), actor=_actors("system", 10)
    )
    def time_passes(self, hours: int, actor: str) -> None:
        """Time passes and the scheduler runs, twice: the second run has nothing to do."""
        self._step("time_passes")
        self.clock.advance(hours=hours)
        principal = self._who(actor)
        first = self._call(lambda side: side.ws.scheduler.run(principal), what="scheduler.run")
        if first[0].ok:
            assert first[0].value.failed == (), first[0].value.failed
            again = self._call(lambda side: side.ws.scheduler.run(principal), what="scheduler.run")
            assert again[0].value.finished == 0, f"a job acted twice: {again[0].value}"
            self.statistics["jobs finished"] += first[0].value.finished

    # -- links, clicks and codes -------------------------------------------------------------

    @precondition(lambda self: bool(self.participations))
    @rule(actor=_actors("manager"), pick=_PICK)
    def create_link(self, actor: str, pick: int) -> None:
        """The brand makes a tracked link for a participation."""
        self._step("create_link")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        self._call(
            lambda side: side.ws.links.create(
                self._who(actor), participation, landing_url="https://shop.example/serum"
            ),
            what="links.create",
            learn=lambda side, link: side.slugs.append(link.slug),
        )

    @precondition(lambda self: bool(self.sides[0].slugs))
    @rule(
        pick=_PICK,
        ip=ics.visitor_addresses(),
        agent=ics.user_agents(),
        method=st.sampled_from(["GET", "GET", "GET", "HEAD", "POST"]),
        repeat=st.integers(1, 2),
    )
    def click(self, pick: int, ip: str, agent: str, method: str, repeat: int) -> None:
        """Someone (a person, a robot) opens a tracked link, maybe twice."""
        self._step("click")
        if not self.sides[0].slugs:
            return
        index = pick % len(self.sides[0].slugs)
        for _ in range(repeat):
            outcomes = self._call(
                lambda side: side.ws.links.click(
                    side.slugs[index], ip=ip, user_agent=agent, method=method
                ),
                what="links.click",
            )
            assert outcomes[0].ok, f"a click on a known link failed: {outcomes[0].value!r}"
            visit = outcomes[0].value
            person = agent in ics.PERSON_AGENTS
            if method != "GET" or not person:
                assert not visit.counted, visit
            if visit.counted:
                assert method == "GET", visit
                assert person, visit
                key = (index, ip, agent)
                now = self.clock.now()
                recent = [t for t in self.visits.get(key, []) if t > now.subtract(hours=1)]
                assert visit.unique == (not recent), (visit, recent)
                self.visits.setdefault(key, []).append(now)
                for side, outcome in zip(self.sides, outcomes, strict=True):
                    side.tokens.append(outcome.value.click_token)

    @precondition(lambda self: bool(self.participations))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        code=st.sampled_from([None, None, "SPRING10", "glow-15", "TEST", "SH1T-20"]),
        percent=st.sampled_from([None, 10, 15]),
    )
    def create_code(self, actor: str, pick: int, code: str | None, percent: int | None) -> None:
        """The brand gives a creator a promo code (from the pattern, or as given)."""
        self._step("create_code")
        participation = self._pick(self.participations, pick)
        if participation is None:
            return
        self.focus = self._campaign_of(participation)
        self._call(
            lambda side: side.ws.codes.create(
                self._who(actor), participation, code=code, percent_off=percent
            ),
            what="codes.create",
            learn=lambda side, promo: side.codes.append(promo.code),
        )

    # -- Shopify -----------------------------------------------------------------------------

    def _headers(self, topic: str, body: bytes, event_id: str, secret: str) -> dict[str, str]:
        digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
        return {
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
            "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-Event-Id": event_id,
        }

    def _queue(
        self, topic: str, payloads: tuple[dict[str, Any], dict[str, Any]], at_once: bool
    ) -> None:
        """Queue a webhook (kept for a later retry); ``at_once`` delivers it now as well."""
        bodies = (json.dumps(payloads[0]).encode(), json.dumps(payloads[1]).encode())
        self.queue.append(_Delivery(topic, bodies, f"evt-{self._next()}"))
        if at_once:
            self._deliver(self.queue[-1], forged=False)

    @rule(
        code=st.none() | _PICK,
        link=st.none() | _PICK,
        token=st.none() | _PICK,
        hours_ago=st.sampled_from([0, 1, 30, 24 * 12, 24 * 400]),
        currency=st.sampled_from(["EUR", "EUR", "USD", "GBP"]),
        subtotal=st.sampled_from(["0.00", "19.90", "100.00"]),
        lower=st.booleans(),
        test=st.sampled_from([False, False, False, True]),
        at_once=st.sampled_from([True, True, False]),
    )
    def place_order(
        self,
        code: int | None,
        link: int | None,
        token: int | None,
        hours_ago: int,
        currency: str,
        subtotal: str,
        lower: bool,
        test: bool,
        at_once: bool,
    ) -> None:
        """A shop order is placed, with a code, a landing page or a click id (or none)."""
        self._step("place_order")
        number = 820_982_911_946_154_000 + self._next()
        created = self.clock.now().subtract(hours=hours_ago).isoformat()
        payloads = []
        for side in self.sides:
            codes = []
            if code is not None and side.codes:
                text = side.codes[code % len(side.codes)]
                codes = [{"code": text.lower() if lower else text, "amount": "1.00"}]
            landing = None
            if link is not None and side.slugs:
                landing = (
                    f"/serum?utm_source=instagram&utm_content={side.slugs[link % len(side.slugs)]}"
                )
            notes = []
            if token is not None and side.tokens:
                notes = [{"name": "icclid", "value": side.tokens[token % len(side.tokens)]}]
            payloads.append(
                {
                    "id": number,
                    "name": f"#{number % 10_000}",
                    "created_at": created,
                    "currency": currency,
                    "subtotal_price": subtotal,
                    "total_price": subtotal,
                    "discount_codes": codes,
                    "landing_site": landing,
                    "note_attributes": notes,
                    "source_name": "web",
                    "test": test,
                }
            )
        self.orders.append((str(number), currency))
        self._queue("orders/create", (payloads[0], payloads[1]), at_once)

    @precondition(lambda self: bool(self.orders))
    @rule(
        pick=_PICK,
        amount=st.sampled_from(["5.00", "19.90", "150.00"]),
        cancel=st.booleans(),
        at_once=st.booleans(),
    )
    def refund_or_cancel(self, pick: int, amount: str, cancel: bool, at_once: bool) -> None:
        """A refund (maybe larger than the order), or a cancellation, is queued."""
        self._step("refund_or_cancel")
        if not self.orders:
            return
        external, currency = self.orders[pick % len(self.orders)]
        now = self.clock.now().isoformat()
        if cancel:
            payload: dict[str, Any] = {
                "id": int(external),
                "created_at": now,
                "cancelled_at": now,
                "currency": currency,
                "subtotal_price": "19.90",
                "total_price": "19.90",
                "discount_codes": [],
            }
            self._queue("orders/cancelled", (payload, payload), at_once)
            return
        refund = {
            "id": self._next(),
            "order_id": int(external),
            "created_at": now,
            "transactions": [
                {"kind": "refund", "status": "success", "amount": amount, "currency": currency}
            ],
        }
        self._queue("refunds/create", (refund, refund), at_once)

    @precondition(lambda self: bool(self.queue))
    @rule(pick=_PICK, retry_later=st.booleans(), forged=st.sampled_from([False] * 5 + [True]))
    def deliver_webhook(self, pick: int, retry_later: bool, forged: bool) -> None:
        """Shopify delivers a queued webhook (out of order, maybe again later, maybe forged)."""
        self._step("deliver_webhook")
        delivery = self.queue[pick % len(self.queue)]
        if not retry_later:
            self.queue.remove(delivery)
        self._deliver(delivery, forged=forged)

    def _deliver(self, delivery: _Delivery, *, forged: bool) -> None:
        secret = "not-the-secret" if forged else _SHOP_SECRET

        def send(side: _Side) -> WebhookResponse:
            body = delivery.bodies[self.sides.index(side)]
            return side.hooks.handle(
                self._headers(delivery.topic, body, delivery.event_id, secret), body
            )

        outcomes = self._call(
            send,
            what=f"webhook {delivery.topic}",
            changes_nothing=lambda r: r.status != 200 or r.outcome == "duplicate",
        )
        response = outcomes[0].value
        event(f"webhook {delivery.topic}: {response.status} {response.outcome}")
        self.statistics[f"webhook {delivery.topic}: {response.status} {response.outcome}"] += 1
        if forged:
            assert response.status == 401, response
        else:
            # A well-formed, signed delivery is applied, a duplicate, or to be retried.
            assert response.status in (200, 503), response

    @rule(
        topic=st.sampled_from(["orders/updated", "customers/create", "orders/create"]),
        body=st.sampled_from([b"{}", b"not json", b'{"id": 1, "currency": "EUR"}']),
    )
    def odd_webhook(self, topic: str, body: bytes) -> None:
        """A signed webhook of an unsupported topic, or a malformed one: acknowledged or
        rejected, never applied."""
        self._step("odd_webhook")
        delivery = _Delivery(topic, (body, body), f"evt-{self._next()}")
        outcomes = self._call(
            lambda side: side.hooks.handle(
                self._headers(topic, body, delivery.event_id, _SHOP_SECRET), body
            ),
            what=f"webhook {topic} (odd)",
            changes_nothing=lambda response: True,
        )
        response = outcomes[0].value
        self.statistics[f"odd webhook {topic}: {response.status} {response.outcome}"] += 1
        if topic != "orders/create":
            # Unsupported topics are acknowledged, so that Shopify does not retry them.
            assert response.status == 200, response
        else:
            assert response.status == 400, response

    @precondition(lambda self: bool(self.orders))
    @rule(picks=st.lists(_PICK, min_size=1, max_size=3), refunded=st.sampled_from(["", "5.00"]))
    def import_export(self, picks: list[int], refunded: str) -> None:
        """The brand imports Shopify's orders export (orders already known by webhook or
        not); importing the same export again changes nothing."""
        self._step("import_export")
        chosen = sorted({self.orders[i % len(self.orders)] for i in picks})
        header = (
            "Name,Financial Status,Currency,Subtotal,Total,Discount Code,Created at,"
            "Cancelled at,Refunded Amount,Note Attributes,Source,Lineitem name,Id\n"
        )
        created = self.clock.now().subtract(hours=2).format("YYYY-MM-DD HH:mm:ss ZZ")
        rows = "".join(
            f"#{int(external) % 10_000},paid,{currency},19.90,19.90,,{created},,{refunded},,"
            f"web,Serum,{external}\n"
            for external, currency in chosen
        )
        export = header + rows

        def run(side: _Side) -> Any:
            return side.ws.sales.apply_all(_MANAGER, BRAND, SHOP, read_orders_csv(export))

        first = self._call(run, what="sales.apply_all")
        if first[0].ok:
            self._call(run, what="sales.apply_all again", changes_nothing=lambda applied: True)

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        days=st.integers(-10, 20),
        hashtags=st.sampled_from([["#SpringGlow"], ["#SummerGlow", "#ad"], []]),
    )
    def update_campaign(self, actor: str, pick: int, days: int, hashtags: list[str]) -> None:
        """The brand moves a campaign's end and changes its hashtags while it runs."""
        self._step("update_campaign")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        self.focus = campaign
        window = self.sides[0].ws.campaigns.get(SystemActor(), campaign).window
        moved = window.end.add(days=days)

        def update(side: _Side) -> Any:
            return side.ws.campaigns.update(
                self._who(actor),
                campaign,
                window=DateWindow(window.start, moved, window.timezone),
                hashtags=hashtags,
            )

        self._call(update, what="campaigns.update")

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        currency=st.sampled_from(["EUR", "GBP", "USD"]),
        from_days=st.integers(-30, 10),
        until_days=st.none() | st.integers(1, 40),
        version=st.integers(1, 3),
    )
    def use_rate_card(
        self,
        actor: str,
        pick: int,
        currency: str,
        from_days: int,
        until_days: int | None,
        version: int,
    ) -> None:
        """The brand defines a version of its own EMV rate card (maybe overlapping another,
        or in force only part of the time) and values a campaign with it."""
        self._step("use_rate_card")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        self.focus = campaign
        today = self.clock.now().date()

        def define(side: _Side) -> Any:
            card = RateCard(  # an inverted validity is refused here
                name="acme card",
                version=version,
                currency=currency,
                valid_from=today + _dt.timedelta(days=from_days),
                valid_until=None if until_days is None else today + _dt.timedelta(days=until_days),
                rates=[EmvRate("likes", "0.08"), EmvRate("impressions", "6", per=1000)],
                source="simulation",
            )
            return side.ws.rate_cards.define(principal, BRAND, card)

        principal = self._who(actor)
        self._call(define, what="rate_cards.define")
        policies = self.sides[0].ws.campaigns.get(SystemActor(), campaign).policies
        chosen = attrs.evolve(policies, emv=EmvPolicy(card="acme card"))
        self._call(
            lambda side: side.ws.campaigns.update(principal, campaign, policies=chosen),
            what="campaigns.update policies",
        )

    # -- money -------------------------------------------------------------------------------

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        who=st.none() | _PICK,
        kind=st.sampled_from(["fee", "shipping", "gift", "agency", "bonus"]),
        amount=st.sampled_from(["0", "20", "99.99"]),
        currency=st.sampled_from(["EUR", "EUR", "USD", "GBP"]),
        by_compliance=st.booleans(),
        compensation=st.booleans(),
    )
    def plan_cost(
        self,
        actor: str,
        pick: int,
        who: int | None,
        kind: str,
        amount: str,
        currency: str,
        by_compliance: bool,
        compensation: bool,
    ) -> None:
        """The brand plans a cost, or each confirmed creator's compensation."""
        self._step("plan_cost")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        self.focus = campaign
        principal = self._who(actor)
        if compensation:
            outcomes = self._call(
                lambda side: side.ws.costs.plan_compensation(
                    principal, campaign, fee_by_compliance=by_compliance
                ),
                what="costs.plan_compensation",
            )
            if outcomes[0].ok:
                self.costs.extend(c.id for c in outcomes[0].value)
            return
        participation = None if who is None else self._pick(self.participations, who)
        outcomes = self._call(
            lambda side: [
                side.ws.costs.plan(
                    principal,
                    campaign,
                    kind,
                    Money.of(amount, currency),
                    participation_id=participation,
                    due_on=self.clock.now().date(),
                    pay_by_compliance=by_compliance,
                )
            ],
            what="costs.plan",
        )
        if outcomes[0].ok:
            self.costs.extend(c.id for c in outcomes[0].value)

    @precondition(lambda self: bool(self.costs))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        action=st.sampled_from(["commit", "pay", "pay", "cancel"]),
        reason=st.sampled_from(["over budget", ""]),
    )
    def cost_moves(self, actor: str, pick: int, action: str, reason: str) -> None:
        """A cost is committed, paid (maybe by compliance) or cancelled."""
        self._step("cost_moves")
        cost = self._pick(self.costs, pick)
        if cost is None:
            return
        principal = self._who(actor)
        if action == "cancel":
            self._call(
                lambda side: side.ws.costs.cancel(principal, cost, reason=reason),
                what="costs.cancel",
            )
        else:
            self._call(
                lambda side: getattr(side.ws.costs, action)(principal, cost), what=f"costs.{action}"
            )

    @precondition(lambda self: bool(self.campaigns))
    @rule(
        actor=_actors("manager"),
        pick=_PICK,
        who=_PICK,
        ratings=ics.ratings(),
        work_again=st.booleans(),
        tags=st.frozensets(st.sampled_from(["product_test", "ugc", "paid_partnership"])),
    )
    def rate(
        self,
        actor: str,
        pick: int,
        who: int,
        ratings: Any,
        work_again: bool,
        tags: frozenset[str],
    ) -> None:
        """The brand reviews a creator of an ended campaign (others are refused)."""
        self._step("rate")
        campaign, creator = self._pick(self.campaigns, pick), self._pick(self.creators, who)
        if campaign is None or creator is None:
            return
        self.focus = campaign
        self._call(
            lambda side: side.ws.reviews.rate(
                self._who(actor),
                campaign,
                creator,
                ratings=ratings,
                work_again=work_again,
                tags=tags,
                note="private",
            ),
            what="reviews.rate",
        )

    # -- reading as anyone -------------------------------------------------------------------

    @precondition(lambda self: bool(self.campaigns))
    @rule(actor=st.sampled_from(_KINDS), pick=_PICK, who=_PICK)
    def read_as(self, actor: str, pick: int, who: int) -> None:
        """Anyone reads a campaign's threads, money, sales, calendar, list and reviews: what
        the access policy denies raises PermissionDenied, what it filters is left out, and
        reading changes nothing."""
        self._step("read_as")
        campaign = self._pick(self.campaigns, pick)
        if campaign is None:
            return
        creator = self._pick(self.creators, who)
        principal = self._who(actor, creator)
        reference = self._state(1)
        for index, side in enumerate(self.sides):
            _check_access(side.ws, principal, campaign, creator)
            _same_state(reference, self._state(index), f"reading as {principal}")

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def stores_agree(self) -> None:
        """Both stores hold the same aggregates and the same outbox."""
        _same_state(self._memory(), self._state(1), "the store under test")

    @invariant()
    def jobs_act_once(self) -> None:
        """Each reminder, alert and automatic validation happened at most once."""
        events = [m.event for m in self.sides[0].ws.store.outbox.all()]
        seen: Counter[tuple[str, ...]] = Counter()
        reopened: Counter[str] = Counter()
        for e in events:
            data: dict[str, Any] = attrs.asdict(e, recurse=False)
            if e.type in ("PublicationReminderSent", "EventReminderSent"):
                seen[("reminder", data["job_id"])] += 1
            elif e.type == "ApplicationPendingTooLong":
                seen[("alert", data["application_id"])] += 1
            elif e.type == "SubmissionReopened":
                reopened[data["submission_id"]] += 1
            elif e.type in ("ValidationDue", "SubmissionValidated"):
                if e.type == "SubmissionValidated" and not data["automatic"]:
                    continue
                key = (e.type, data["submission_id"], str(reopened[data["submission_id"]]))
                seen[key] += 1
        twice = [k for k, n in seen.items() if n > 1]
        assert not twice, f"scheduled work done twice: {twice}"

    @invariant()
    def read_models_hold(self) -> None:
        """Every read model of the campaign last touched (and the brand's history) computes
        or raises a typed error, alike on both stores, and its totals reconcile. (Skipped when
        neither the state, the clock nor the campaign changed since the last check: the read
        models would answer the same.)"""
        state = self._memory()
        key = (hash(tuple(tuple(v) for v in state.values())), self.clock.now(), self.focus)
        if key == self.checked:
            return
        self.checked = key
        self.rotation += 1
        summaries = []
        for index, side in enumerate(self.sides):
            # Every model on the memory store; a third of them on the store under test, in
            # turn (each reads through the other backend's queries every third check).
            share = None if index == 0 else self.rotation % 3
            results = _read_models(side, self.focus, self.creators, share)
            for name, result in results.items():
                if isinstance(result, InflucampaignError):
                    if index == 0:
                        self.statistics[f"read {name}: {type(result).__name__}"] += 1
                elif index == 0:
                    self.statistics[f"read {name}: ok"] += 1
                    _reconcile(name, result)
            if index == 0 and self.focus is not None:
                _cross_check(side.ws, self.focus, results)
            summaries.append(
                {
                    name: (type(r).__name__, side.canon(str(r)))
                    if isinstance(r, InflucampaignError)
                    else self._plain(side, r)
                    for name, r in results.items()
                }
            )
        for name in summaries[1]:
            assert summaries[0][name] == summaries[1][name], (
                f"{name} differs: memory {summaries[0][name]!r}, "
                f"the store under test {summaries[1][name]!r}"
            )

    @invariant()
    def orders_credited_within_dates(self) -> None:
        """An order is credited only inside its campaign's dates, and after the code or link
        that brought it existed."""
        ws = self.sides[0].ws
        with ws.store.unit_of_work(read_only=True) as uow:
            for order in uow.orders.find():
                credited = order.attribution
                if credited is None or credited.campaign_id is None or order.placement is None:
                    continue
                placed = order.placement.created_at
                campaign = uow.campaigns.get(credited.campaign_id)
                assert campaign.window.start <= placed <= campaign.window.end, (
                    f"order {order.external_id} placed {placed} credited to campaign "
                    f"{campaign.id} of {campaign.window.start}..{campaign.window.end}"
                )
                participation = uow.participations.get(credited.participation_id or "")
                assert participation.joined_at is None or participation.joined_at <= placed, (
                    f"order {order.external_id} placed {placed} before its creator joined"
                )


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


# -- read models ------------------------------------------------------------------------------


def _typed(call: Callable[[], Any]) -> Any:
    """The result, or the typed error it raised (anything else propagates: a defect)."""
    try:
        return call()
    except InflucampaignError as error:
        return error


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _read_models(
    side: _Side, campaign: str | None, creators: list[str], share: int | None = None
) -> dict[str, Any]:
    """Every read model of the brand and of ``campaign`` as its manager reads them, each the
    result or the typed error it raised; ``share`` (0-2) computes only a third of them."""
    ws, m = side.ws, _MANAGER
    models: dict[str, Callable[[], Any]] = {
        "history": lambda: ws.history.brand(m, BRAND),
        "reactivation": lambda: ws.history.reactivation(m, BRAND),
    }
    if creators:
        models["creator history"] = lambda: ws.history.creator(m, BRAND, creators[-1])
    if campaign is not None:
        models.update(
            {
                "campaign report": lambda: ws.reports.campaign(m, campaign, draws=16, seed=3),
                "segments": lambda: ws.reports.segments(m, [campaign]),
                "sales report": lambda: ws.sales.report(m, campaign),
                "budget": lambda: ws.costs.budget(m, campaign),
                "progress": lambda: ws.deliverables.progress(m, campaign),
                "calendar": lambda: ws.calendar.for_campaigns(m, [campaign]),
                "overlap": lambda: ws.overlap.for_campaign(
                    m, campaign, side.audiences, platform="instagram"
                ),
                "retrospective": lambda: ws.reviews.retrospective(m, campaign),
                "ranking": lambda: ws.matching.rank(m, campaign),
                "list status": lambda: ws.participations.list_status(m, campaign),
                "response stats": lambda: ws.applications.response_stats(m, campaign),
                "unread": lambda: ws.messages.unread_counts(m, campaign),
            }
        )
    if campaign is not None and _has("icalendar"):  # the ``ical`` extra
        models["ics"] = lambda: ws.calendar.ics(m, [campaign])
    results = {
        name: _typed(model)
        for i, (name, model) in enumerate(models.items())
        if share is None or i % 3 == share
    }
    # Opted-out creators are never read, whatever the report found.
    with ws.store.unit_of_work(read_only=True) as uow:
        opted = {c.id for c in uow.creators.find(audience_data="opted_out")}
    assert not opted & {c for c, _ in side.audiences.reads}, "an opted-out audience was read"
    side.audiences.reads.clear()
    return results


def _cross_check(ws: Workspace, campaign_id: str, results: Mapping[str, Any]) -> None:
    """The read models of one campaign agree with each other and with its records."""
    ok = {n: r for n, r in results.items() if not isinstance(r, InflucampaignError)}
    system = SystemActor()
    participations = ws.participations.list(system, campaign_id)
    report, budget, sales = ok.get("campaign report"), ok.get("budget"), ok.get("sales report")
    if report is not None and budget is not None and budget.currency == report.currency:
        # (A campaign without a currency and without costs reports in its rate card's.)
        assert report.budget == budget, "the report's budget is not the budget"
    if report is not None and sales is not None and sales.currency == report.currency:
        for creator, figures in report.sales.items():
            line = sales.per_creator.get(creator)
            if line is not None:
                assert (figures.net, figures.clicks, figures.orders) == (
                    line.net,
                    line.clicks,
                    line.orders,
                ), f"the report's sales of {creator} are not the sales report's"
    status = ok.get("list status")
    if status is not None:
        listed = [
            *status.confirmed,
            *status.approved,
            *(p.participation for p in status.pending),
            *status.declined,
            *status.other,
        ]
        assert sorted(p.id for p in listed) == sorted(p.id for p in participations), status
    ranking = ok.get("ranking")
    if ranking is not None:
        applicants = {a.creator_id for a in _applications(ws, campaign_id)}
        taken = applicants | {p.creator_id for p in participations}
        assert not set(ranking.order) & taken, f"ranked creators already in: {ranking.order}"
    overlap = ok.get("overlap")
    if overlap is not None:
        excluded = {e.creator_id for e in overlap.excluded}
        assert not excluded & set(overlap.creator_ids), overlap
        assert overlap.distinct_reach.value <= overlap.total_followers.value, overlap
    for history in (ok.get("history") or {}).values():
        assert history.on_time <= history.delivered, history
        assert history.completed <= history.joined <= len(history.campaigns), history
    sent: Counter[str] = Counter(
        getattr(m.event, "participation_id", "")
        for m in ws.store.outbox.all()
        if m.event.type == "MessageSent"
    )
    for p in participations:
        thread = ws.messages.thread(system, p.id)
        assert len(thread) == sent[p.id], f"thread {p.id}: {len(thread)} of {sent[p.id]}"
        moments = [m.sent_at for m in thread]
        assert moments == sorted(moments), f"thread {p.id} is out of order"


def _applications(ws: Workspace, campaign_id: str) -> list[Any]:
    try:
        return ws.applications.list(SystemActor(), campaign_id)
    except InflucampaignError:  # pragma: no cover - the system reads everything
        return []


def _zero(currency: str) -> Money:
    return Money.zero(currency)


def _reconcile(name: str, value: Any) -> None:
    """The totals of one read model agree with their parts."""
    if isinstance(value, SalesReport):
        _reconcile_sales(value)
    elif isinstance(value, Budget):
        _reconcile_budget(value)
    elif isinstance(value, DeliveryProgress):
        for lines in (value.per_creator.values(), value.per_format.values()):
            assert sum(lines, DeliveryLine()) == value.total, (name, value)
        for line in (*value.per_creator.values(), *value.per_format.values(), value.total):
            assert 0 <= line.delivered <= line.expected, (name, line)
            assert line.delivered + line.outstanding == line.expected, (name, line)
            assert line.on_time + line.late == line.delivered, (name, line)
    elif isinstance(value, CampaignReport):
        _reconcile_budget(value.budget)
        currency = value.currency
        basis = value.cost_basis
        assert value.roi_total.cost == value.budget.total.cost(basis), value.roi_total
        for creator, roi in value.roi_per_creator.items():
            expected = value.budget.per_creator.get(creator)
            assert roi.cost == (_zero(currency) if expected is None else expected.cost(basis))
        nets = [roi.net_revenue for roi in value.roi_per_creator.values()]
        assert value.roi_total.net_revenue == Money.sum(nets, currency), value.roi_total
        emv = value.emv
        known = [v for v in emv.per_creator.values() if v is not None]
        assert emv.total == (Money.sum(known, currency) if known else None), emv
        forecast = value.forecast
        for estimate_line in (
            *forecast.per_deliverable.values(),
            *forecast.per_creator.values(),
            forecast.total,
        ):
            for figure in ("reach", "impressions", "engagements", "emv", "roi"):
                estimate = getattr(estimate_line, figure)
                if estimate is not None:
                    assert estimate.p10 <= estimate.p50 <= estimate.p90, (figure, estimate_line)
        for creator, total in emv.per_creator.items():
            parts = [c.emv for c in emv.contents if c.creator_id == creator and c.emv is not None]
            assert total == (Money.sum(parts, currency) if parts else None), (creator, emv)


def _reconcile_sales(report: Any) -> None:
    total = SalesLine(report.currency)
    for line in report.per_creator.values():
        total += line
    assert total == report.total, report
    for line in (*report.per_creator.values(), report.total):
        assert line.net == line.gross - line.refunded, line
        assert line.refunded.amount >= 0, line
        assert line.net.amount >= 0, line
        assert line.unique_clicks <= line.clicks, line
        assert line.orders_via_link <= line.orders, line
    clicks = sum(c.clicks for c in report.per_link.values())
    assert clicks == report.total.clicks == sum(c.clicks for c in report.per_day.values()), report


def _reconcile_budget(budget: Any) -> None:
    total = budget.campaign_wide
    for line in budget.per_creator.values():
        assert line.planned.amount >= line.committed.amount >= line.paid.amount, line
        total += line
    assert total == budget.total, budget
    assert sum(budget.per_kind.values(), BudgetLine.zero(budget.currency)) == budget.total, budget


# -- access -----------------------------------------------------------------------------------


def _check_access(ws: Workspace, actor: Principal, campaign_id: str, creator: str | None) -> None:
    """``actor`` reads what the policy allows, is refused (PermissionDenied) what it denies,
    and lists hold only what it may read."""
    policy: AccessPolicy = ws.access
    system = SystemActor()
    loaded = ws.campaigns.get(system, campaign_id)
    public = loaded.mode is CampaignMode.MARKETPLACE and loaded.status in (
        CampaignStatus.OPEN,
        CampaignStatus.RUNNING,
    )
    campaign = Resource(
        "campaign", campaign_id, brand_id=BRAND, campaign_id=campaign_id, public=public
    )
    participations = ws.participations.list(system, campaign_id)

    def owned(kind: str, p: Any) -> Resource:
        return Resource(
            kind, p.id, brand_id=p.brand_id, creator_id=p.creator_id, campaign_id=p.campaign_id
        )

    def expect(allowed: bool, call: Callable[[], Any], what: str) -> Any:
        try:
            value = call()
        except PermissionDenied:
            assert not allowed, f"{actor} was refused {what}, which the policy allows"
            return None
        except InflucampaignError:
            return None
        assert allowed, f"{actor} read {what}, which the policy denies"
        return value

    for p in participations:
        expect(
            policy.allows(actor, Permission.MESSAGE_READ, owned("thread", p)),
            functools.partial(ws.messages.thread, actor, p.id),
            f"the thread of {p.id}",
        )
        expect(
            policy.allows(actor, Permission.PARTICIPATION_READ, owned("participation", p)),
            functools.partial(ws.participations.get, actor, p.id),
            f"participation {p.id}",
        )
    expect(
        policy.allows(actor, Permission.COST_READ, campaign),
        lambda: ws.costs.budget(actor, campaign_id),
        "the budget",
    )
    expect(
        policy.allows(actor, Permission.COST_READ, campaign)
        and policy.allows(actor, Permission.CAMPAIGN_INTERNAL_READ, campaign),
        lambda: ws.reports.campaign(actor, campaign_id, draws=4),
        "the campaign report",
    )
    expect(
        policy.allows(actor, Permission.REVIEW_READ, campaign),
        lambda: ws.reviews.list(actor, campaign_id),
        "the reviews",
    )
    expect(
        policy.allows(
            actor, Permission.REVIEW_READ, Resource("relationship history", BRAND, brand_id=BRAND)
        ),
        lambda: ws.history.brand(actor, BRAND, money=False),
        "the relationship history",
    )
    readable = {
        p.id
        for p in participations
        if policy.allows(actor, Permission.SALES_READ, owned("participation", p))
    }
    sales = _typed(lambda: ws.sales.report(actor, campaign_id))
    if not isinstance(sales, InflucampaignError) and not policy.allows(
        actor, Permission.SALES_READ, campaign
    ):
        mine = {p.creator_id for p in participations if p.id in readable}
        assert set(sales.per_creator) <= mine, (
            f"{actor} read the sales of {set(sales.per_creator) - mine}"
        )
    costs = _typed(lambda: ws.costs.list(actor, campaign_id))
    if not isinstance(costs, InflucampaignError) and not policy.allows(
        actor, Permission.COST_READ, campaign
    ):
        allowed = {
            p.id
            for p in participations
            if policy.allows(actor, Permission.COST_READ, owned("cost", p))
        }
        assert all(c.participation_id in allowed for c in costs), f"{actor} read others' costs"
    listed = ws.participations.list(actor, campaign_id)
    for p in listed:
        assert policy.allows(actor, Permission.PARTICIPATION_READ, owned("participation", p)), (
            f"{actor} listed participation {p.id}"
        )
    calendar = _typed(lambda: ws.calendar.for_campaigns(actor, [campaign_id]))
    if not isinstance(calendar, InflucampaignError):
        visible = {
            p.id
            for p in participations
            if policy.allows(actor, Permission.PARTICIPATION_READ, owned("content", p))
        }
        for entry in (*calendar.entries, *calendar.unscheduled):
            if entry.kind is EntryKind.EVENT:  # the campaign's event, not a participation's
                continue
            assert entry.participation_id in visible, f"{actor} saw {entry.uid} in the calendar"
    if creator is not None:
        found = _typed(lambda: ws.creators.get(actor, creator))
        if not isinstance(found, InflucampaignError):
            reader = Resource("creator", creator, creator_id=creator)
            if not policy.allows(actor, Permission.CONTACT_READ, reader):
                assert found.contact is None, f"{actor} read the contact of {creator}"


def campaign_simulation(make_store: Callable[[], Store]) -> type[CampaignSimulation]:
    """A CampaignSimulation subclass driving ``make_store()`` stores beside the memory store;
    run it with its ``TestCase`` (give it settings for the number of steps)."""
    return type(
        "CampaignSimulationFor", (CampaignSimulation,), {"make_store": staticmethod(make_store)}
    )
