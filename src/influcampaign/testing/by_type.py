"""A Hypothesis strategy for every public type: ``strategy_for(ic.Shipment)``.

The hand-written strategies of :mod:`influcampaign.testing.strategies` come first; aggregate
kinds without one draw from :mod:`influcampaign.testing.samples`; enums are sampled; other
attrs classes are built field by field from their declared types (ids for ``*_id`` fields),
keeping only the values their own validation accepts. Objects that are not data (the
workspace, stores, clocks, ports, errors) have none: :data:`NOT_DATA` says why.
"""

from __future__ import annotations

import collections.abc
import datetime as _dt
import enum
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pendulum
from hypothesis import assume
from hypothesis import strategies as st

from influcampaign.errors import InflucampaignError, ValidationError
from influcampaign.testing import strategies as ics

__all__ = ["NOT_DATA", "strategy_for"]

NOT_DATA: dict[str, str] = {
    "AudienceDirectory": "a lookup service over audiences, built from data",
    "BriefCheck": "a checker (behaviour): build it from BriefRequirements",
    "CreatorPool": "a ranking service over creators",
    "FixedRates": "an adapter (a rate provider)",
    "FrozenClock": "an adapter (a clock)",
    "KnownBots": "an adapter (a bot filter)",
    "MemoryStore": "an adapter (a store)",
    "RandomIds": "an adapter (an id generator)",
    "SequentialIds": "an adapter (an id generator)",
    "ShopifyWebhooks": "an endpoint's logic over a workspace",
    "SqlStore": "an adapter (a store)",
    "SystemClock": "an adapter (the wall clock)",
    "Workspace": "the entry point: make it with the WorkspaceFactory",
    "ExactAudience": "a follower-id array: strategies.audiences-like data is a numpy array",
    "ThetaAudience": "a DataSketches sketch (an optional extra)",
    "MemoryPostSource": "an adapter (a post source): build it from CapturedPost data",
    "JsonLinesPostSource": "an adapter (a post source reading a file)",
    "MemoryPayouts": "an adapter (a payout gateway)",
}
"""Public classes that are not data, so have no strategy, and why (protocols and errors
have none either)."""


def _is_id_field(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name in ("user_id", "slug", "external_id")


def _for(tp: Any, name: str = "") -> st.SearchStrategy[Any]:
    if tp is str and name.endswith("currency"):
        return st.sampled_from(["EUR", "USD", "GBP"])
    if tp is str:
        return (
            ics.ids(name.removesuffix("_id") or "id")
            if _is_id_field(name)
            else st.text("abcdefghijklmnopqrstuvwxyz ABCÉ", min_size=1, max_size=20).filter(
                lambda s: s.strip() == s and s
            )
        )
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.one_of(st.integers(1, 10), st.integers(0, 1000))
    if tp is float:
        return st.floats(0, 1)
    if tp is Decimal:
        return st.decimals(0, 10_000, places=2)
    if tp is bytes:
        return st.binary(min_size=32, max_size=40)
    if tp in (pendulum.DateTime, _dt.datetime):
        return ics.aware_datetimes()
    if tp is _dt.date:
        return st.dates(_dt.date(2020, 1, 1), _dt.date(2035, 12, 31))
    if tp is _dt.time:
        return st.times()
    if typing.get_origin(tp) is collections.abc.Callable:
        return st.just(lambda *args: Decimal(1))
    if isinstance(tp, type) and issubclass(tp, BaseException):
        return st.none() | st.builds(ValidationError, st.just(name), st.integers(), st.just("bad"))
    if tp is _dt.timedelta:
        return st.timedeltas(_dt.timedelta(0), _dt.timedelta(days=30))
    if tp is type(None):
        return st.none()
    if tp is Any:
        return st.none()
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_for(a, name) for a in args))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(_for(args[0], name), max_size=3).map(tuple)
        return st.tuples(*(_for(a, name) for a in args))
    if origin in (frozenset, set, collections.abc.Set):
        return st.frozensets(_for(args[0], name), max_size=3)
    if origin in (list, collections.abc.Sequence):
        return st.lists(_for(args[0], name), max_size=3).map(tuple)
    if origin in (dict, collections.abc.Mapping):
        return st.dictionaries(_for(args[0], name), _for(args[1], name), max_size=3)
    if isinstance(tp, type):
        return strategy_for(tp)
    raise TypeError(f"no strategy for {tp!r}")


@st.composite
def _valid(draw: st.DrawFn, cls: type[Any], fields: dict[str, st.SearchStrategy[Any]]) -> Any:
    values = {name: draw(strategy) for name, strategy in fields.items()}
    try:
        return cls(**values)
    except (ValidationError, InflucampaignError, ValueError, TypeError):
        assume(False)
        raise  # pragma: no cover - assume(False) does not return


def _generic(cls: type[Any]) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    fields = {}
    for field in attrs.fields(cls):
        if not field.init:
            continue
        strategy = _for(hints[field.name], field.name)
        default: Any = field.default
        if default is not attrs.NOTHING and not getattr(default, "takes_self", False):
            # Keep the default often: defaults are valid, and most fields keep theirs.
            factory = getattr(default, "factory", None)
            value = factory() if hasattr(default, "takes_self") and factory else default
            strategy = st.one_of(st.just(value), strategy)
        fields[field.name.lstrip("_")] = strategy
    return _valid(cls, fields)


def _eur(low: int = 0, high: int = 10_000) -> st.SearchStrategy[Any]:
    from influcampaign.domain.money import Money

    return st.decimals(low, high, places=2).map(lambda d: Money.of(d, "EUR"))


def _placements() -> st.SearchStrategy[Any]:
    from influcampaign.domain.orders import OrderPlacement

    def build(external: str, name: str, at: Any, later: int, sub: Any, extra: Any) -> Any:
        return OrderPlacement(
            external_id=external,
            name=name,
            created_at=at,
            updated_at=at.add(minutes=later),
            subtotal=sub,
            total=sub + extra,
        )

    return st.builds(
        build,
        ics.ids("order"),
        st.text("#0123456789", min_size=1, max_size=6),
        ics.aware_datetimes(),
        st.integers(0, 600),
        _eur(),
        _eur(0, 50),
    )


def _shop_events() -> st.SearchStrategy[Any]:
    from influcampaign.domain.orders import ShopEvent, ShopTopic

    topics = st.sampled_from([t for t in ShopTopic if t is not ShopTopic.REFUND_CREATED])
    return st.builds(
        lambda topic, placement, event_id: ShopEvent(
            topic, placement.external_id, "EUR", placement, event_id=event_id
        ),
        topics,
        _placements(),
        st.none() | ics.ids("evt"),
    )


def _sales_lines() -> st.SearchStrategy[Any]:
    from influcampaign.services.sales import SalesLine

    def build(clicks: int, unique: int, orders: int, gross: Any, refunded: Any) -> Any:
        return SalesLine(
            "EUR",
            clicks,
            min(unique, clicks),
            orders,
            gross=gross + refunded,
            refunded=refunded,
            net=gross,
        )

    n = st.integers(0, 500)
    return st.builds(build, n, n, n, _eur(), _eur(0, 100))


def _sales_reports() -> st.SearchStrategy[Any]:
    from influcampaign.services.sales import SalesLine, SalesReport

    def build(campaign_id: str, lines: dict[str, Any]) -> Any:
        total = SalesLine("EUR")
        for line in lines.values():
            total += line
        return SalesReport(campaign_id, "EUR", dict(sorted(lines.items())), {}, {}, total)

    return st.builds(
        build, ics.ids("cmp"), st.dictionaries(ics.ids("cre"), _sales_lines(), max_size=4)
    )


def _overlap_reports() -> st.SearchStrategy[Any]:
    from influcampaign.analytics.overlap import overlap_report

    audiences = st.dictionaries(
        ics.ids("cre"),
        st.lists(st.integers(1, 200), min_size=1, max_size=40, unique=True),
        min_size=1,
        max_size=5,
    )
    return audiences.map(lambda a: overlap_report(a, engine="exact"))


def _rankings() -> st.SearchStrategy[Any]:
    from influcampaign.analytics.matching import CreatorPool, rank

    return st.builds(
        lambda creators, targeting: rank(CreatorPool(creators), targeting),
        st.lists(ics.creators(), max_size=5, unique_by=lambda c: c.id),
        ics.targetings(),
    )


def _explicit() -> dict[type[Any], Callable[[], st.SearchStrategy[Any]]]:
    import influcampaign as ic
    from influcampaign.testing import publishing, samples

    def kind(name: str) -> Callable[[], st.SearchStrategy[Any]]:
        return lambda: samples.aggregates(name, st.integers(0, 60))

    return {
        ic.Money: ics.money,
        ic.DateWindow: ics.date_windows,
        ic.AudienceStats: ics.audience_stats,
        ic.AudienceShares: ics.audience_shares,
        ic.ContactDetails: ics.contact_details,
        ic.TierPolicy: ics.tier_policies,
        ic.Creator: ics.creators,
        ic.Group: ics.groups,
        ic.Compensation: ics.compensations,
        ic.Campaign: ics.campaigns,
        ic.BriefRequirements: ics.brief_requirements,
        ic.BriefReport: ics.brief_reports,
        ic.Metrics: ics.metrics,
        ic.Deliverable: ics.deliverables,
        ic.Submission: ics.submissions,
        ic.DomainEvent: ics.events,
        ic.Targeting: ics.targetings,
        ic.Ratings: ics.ratings,
        ic.CreatorReview: ics.creator_reviews,
        ic.Principal: ics.principals,  # type: ignore[dict-item]
        ic.Application: kind("application"),
        ic.Participation: kind("participation"),
        ic.Shipment: kind("shipment"),
        ic.Message: kind("message"),
        ic.MessageTemplate: kind("template"),
        ic.Job: kind("job"),
        ic.TrackedLink: kind("link"),
        ic.Click: kind("click"),
        ic.PromoCode: kind("promo code"),
        ic.Order: kind("order"),
        ic.WebhookReceipt: kind("webhook receipt"),
        ic.Cost: kind("cost"),
        ic.RateCard: lambda: kind("rate card")().map(lambda b: b.card),
        ic.OrderPlacement: _placements,
        ic.ShopEvent: _shop_events,
        ic.SalesLine: _sales_lines,
        ic.SalesReport: _sales_reports,
        ic.OverlapReport: _overlap_reports,
        ic.Ranking: _rankings,
        ic.SigningKeys: lambda: st.binary(min_size=32, max_size=48).map(
            lambda secret: ic.SigningKeys({"k1": secret}, current="k1")
        ),
        ic.ValidationPolicy: lambda: st.builds(
            lambda within, extra, remind, auto: ic.ValidationPolicy(
                within, within + extra, min(remind, within - 1), auto
            ),
            st.integers(1, 30),
            st.integers(0, 30),
            st.integers(0, 5),
            st.integers(0, 100),
        ),
        ic.ReportInputs: lambda: st.builds(
            lambda campaign, book: ic.ReportInputs(
                campaign, {}, (), (), (), book, {}, lambda *_: Decimal(1), currency="EUR"
            ),
            ics.campaigns(),
            strategy_for(ic.RateCardBook),
        ),
        ic.RateCardBook: lambda: kind("rate card")().map(lambda b: ic.RateCardBook((b.card,))),
        ic.OutboxMessage: lambda: st.builds(
            ic.OutboxMessage, ics.ids("out"), st.integers(1, 10**6), ics.events()
        ),
        ic.BrandEvent: kind("brand event"),
        ic.Contest: kind("contest"),
        ic.PayoutStatement: kind("payout statement"),
        ic.EarnedMention: publishing.earned_mentions,
        ic.UsageRights: publishing.usage_rights,
        ic.Exchange: publishing.exchanges,
        ic.RulesDocument: lambda: st.builds(
            ic.RulesDocument,
            ics.ids("rules").map(lambda slug: f"https://brand.example/{slug}"),
            st.sampled_from(["v1", "v2", "2026-03"]),
        ),
        ic.CapturedPost: lambda: st.builds(
            lambda post_id, platform, author, at, caption: ic.CapturedPost(
                post_id=post_id,
                platform=platform,
                url=f"https://instagram.com/p/{post_id}",
                author=author,
                published_at=at,
                caption=caption,
            ),
            st.integers(1, 10**12).map(str),
            st.sampled_from(["instagram", "tiktok", "youtube"]),
            st.from_regex(r"[a-z][a-z0-9._]{2,14}", fullmatch=True),
            ics.aware_datetimes(),
            st.sampled_from(["", "Love it #ad", "Nouveau #partenariat @maison"]),
        ),
        ic.CommissionRule: lambda: st.one_of(
            st.builds(
                lambda percent: ic.CommissionRule(
                    name="percent of sales", kind="percent", percent=percent
                ),
                st.decimals(1, 50, places=1),
            ),
            st.builds(
                lambda amount: ic.CommissionRule(
                    name="per order", kind="fixed", amount=ic.Money.of(amount, "EUR")
                ),
                st.decimals(1, 50, places=2),
            ),
        ),
        ic.PayoutRequest: lambda: st.builds(
            lambda n, creator, amount: ic.PayoutRequest(
                statement_id=f"pst_{n}",
                number=f"PS-{n:06d}",
                brand_id="acme",
                creator_id=creator,
                amount=ic.Money.of(amount, "EUR"),
            ),
            st.integers(1, 999_999),
            ics.ids("cre"),
            st.decimals(0, 10_000, places=2),
        ),
    }


_CACHE: dict[type[Any], st.SearchStrategy[Any]] = {}


def strategy_for(cls: type[Any]) -> st.SearchStrategy[Any]:
    """A strategy drawing valid instances of the public type ``cls``."""
    if cls not in _CACHE:
        _CACHE[cls] = _strategy_for(cls)
    return _CACHE[cls]


def _strategy_for(cls: type[Any]) -> st.SearchStrategy[Any]:
    if cls.__name__ in NOT_DATA:
        raise TypeError(f"{cls.__name__} is not data: {NOT_DATA[cls.__name__]}")
    explicit = _explicit().get(cls)
    if explicit is not None:
        return explicit()
    if issubclass(cls, enum.Enum):
        return st.sampled_from(cls)
    if attrs.has(cls):
        return st.deferred(lambda: _generic(cls))
    raise TypeError(f"no strategy for {cls!r}")
