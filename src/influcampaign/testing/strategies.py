"""Hypothesis strategies for every public type of influcampaign.

>>> from hypothesis import given
>>> from influcampaign.testing import strategies as ics
>>> @given(ics.money(currency="JPY"))
... def test_yen_have_no_minor_units(amount):
...     assert amount.minor_units == 0
>>> test_yen_have_no_minor_units()
"""

from __future__ import annotations

import datetime as _dt
import enum
import types
import typing
from decimal import Decimal
from typing import Any

import attrs
import pendulum
from hypothesis import strategies as st

from influcampaign.domain.brief import (
    BriefReport,
    BriefRequirements,
    BriefVerdict,
    BriefWeights,
    Jurisdiction,
    MandatoryElement,
    RequirementKind,
    RequirementResult,
)
from influcampaign.domain.campaign import (
    Campaign,
    CampaignKind,
    CampaignMode,
    CampaignPolicies,
    CampaignStatus,
    Compensation,
    DateWindow,
)
from influcampaign.domain.content import (
    Metrics,
    MetricsSnapshot,
    Reopening,
    Submission,
    SubmissionStatus,
    Validation,
)
from influcampaign.domain.creator import (
    AudienceDataState,
    AudienceShares,
    AudienceStats,
    ContactDetails,
    Creator,
    Platform,
    Tier,
    TierPolicy,
)
from influcampaign.domain.deliverable import ContentFormat, Deliverable, DeliverableStatus
from influcampaign.domain.events import DomainEvent, event_types
from influcampaign.domain.group import Group
from influcampaign.domain.money import Money, currency_minor_units
from influcampaign.domain.principals import (
    BrandMember,
    BrandRole,
    ClientReviewer,
    CreatorUser,
    Principal,
    SystemActor,
)
from influcampaign.domain.privacy import AuditAction, AuditEntry, RetentionPolicy
from influcampaign.domain.review import CreatorReview, Ratings, ReactivationTag
from influcampaign.domain.targeting import Collaboration, FollowerRange, Targeting
from influcampaign.testing.inputs import (
    PERSON_AGENTS,
    ROBOT_AGENTS,
    captions,
    user_agents,
    visitor_addresses,
)

__all__ = [
    "CURRENCIES",
    "PERSON_AGENTS",
    "ROBOT_AGENTS",
    "TIMEZONES",
    "audience_shares",
    "audience_stats",
    "audit_entries",
    "aware_datetimes",
    "brief_reports",
    "brief_requirements",
    "campaigns",
    "captions",
    "compensations",
    "contact_details",
    "creator_reviews",
    "creators",
    "date_windows",
    "deliverables",
    "events",
    "groups",
    "ids",
    "metrics",
    "money",
    "principals",
    "retention_policies",
    "ratings",
    "storable_text",
    "submissions",
    "targetings",
    "tier_policies",
    "user_agents",
    "visitor_addresses",
]

CURRENCIES = ("EUR", "USD", "GBP", "JPY", "CHF", "KWD", "SEK")
"""Currencies with 0, 2 and 3 minor units."""

TIMEZONES = (
    "UTC",
    "Europe/Paris",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Asia/Kolkata",
)
"""Time zones with and without DST, on both hemispheres, with a half-hour offset."""


def ids(prefix: str = "id") -> st.SearchStrategy[str]:
    """Valid ids: ``prefix_`` then letters, digits, ``_ . : -``."""
    tail = st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-",
        min_size=1,
        max_size=20,
    )
    return tail.map(lambda t: f"{prefix}_{t}")


def money(
    currency: str | None = None, *, min_value: int = 0, max_value: int = 1_000_000
) -> st.SearchStrategy[Money]:
    """Money in ``currency`` (or one of :data:`CURRENCIES`), a whole number of minor units."""
    currencies = st.just(currency) if currency else st.sampled_from(CURRENCIES)

    def build(code: str) -> st.SearchStrategy[Money]:
        places = currency_minor_units(code)
        scale = 10**places
        return st.integers(min_value * scale, max_value * scale).map(
            lambda m: Money.from_minor(m, code)
        )

    return currencies.flatmap(build)


def aware_datetimes(
    min_year: int = 2000, max_year: int = 2099
) -> st.SearchStrategy[pendulum.DateTime]:
    """Aware datetimes in UTC (as stored), with microseconds, between two years."""
    # Hypothesis takes naive bounds and attaches the time zone itself.
    low = _dt.datetime(min_year, 1, 1)  # noqa: DTZ001
    high = _dt.datetime(max_year, 12, 31)  # noqa: DTZ001
    return st.datetimes(low, high, timezones=st.just(_dt.UTC)).map(
        lambda d: pendulum.instance(d).in_timezone("UTC")
    )


def date_windows() -> st.SearchStrategy[DateWindow]:
    """Valid windows: end strictly after start, in one of :data:`TIMEZONES`."""
    return st.builds(
        lambda start, days, tz: DateWindow(start, start.add(days=days, seconds=1), tz),
        aware_datetimes(max_year=2090),
        st.integers(0, 400),
        st.sampled_from(TIMEZONES),
    )


def storable_text(*, min_size: int = 0, max_size: int | None = None) -> st.SearchStrategy[str]:
    """Any text every backend can store: all of Unicode but NUL and lone surrogates (which
    the domain refuses, naming the field)."""
    return st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
        min_size=min_size,
        max_size=max_size,
    )


_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéàüß ", min_size=1, max_size=20).filter(
    str.strip
)
_names = storable_text(min_size=1, max_size=60).filter(lambda t: bool(t.strip())).map(str.strip)
_handles = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_.", min_size=1, max_size=30)


def audience_stats() -> st.SearchStrategy[AudienceStats]:
    """Followers, engagement rate (fraction) and average views, some unknown."""
    return st.builds(
        AudienceStats,
        followers=st.integers(0, 500_000_000),
        engagement_rate=st.none() | st.floats(0, 1, allow_nan=False),
        average_views=st.none() | st.integers(0, 10**9),
    )


_COUNTRIES = ("FR", "BE", "GB", "US", "DE", "JP")
_LANGUAGES = ("fr", "en", "de", "ja")


def _fractions(keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, float]]:
    """Shares by key that add up to at most 1 (whole percents, so sums stay exact enough)."""

    def build(parts: dict[str, int]) -> dict[str, float]:
        total = sum(parts.values())
        scale = max(total, 100)
        return {k: v / scale for k, v in parts.items()}

    return st.dictionaries(st.sampled_from(keys), st.integers(0, 100), max_size=4).map(build)


def audience_shares() -> st.SearchStrategy[AudienceShares]:
    """Where audiences are, by country and language."""
    return st.builds(
        AudienceShares, countries=_fractions(_COUNTRIES), languages=_fractions(_LANGUAGES)
    )


def contact_details() -> st.SearchStrategy[ContactDetails]:
    """Personal contact details."""
    return st.builds(
        ContactDetails,
        email=st.none() | _handles.map(lambda h: f"{h}@example.org"),
        phone=st.none() | st.from_regex(r"\+[1-9][0-9]{7,12}", fullmatch=True),
        legal_name=st.none() | _names,
        postal_address=st.none() | _names,
    )


def tier_policies() -> st.SearchStrategy[TierPolicy]:
    """Strictly increasing tier thresholds."""
    return st.lists(st.integers(1, 10**8), min_size=4, max_size=4, unique=True).map(
        lambda xs: TierPolicy(tuple(sorted(xs)))
    )


def creators() -> st.SearchStrategy[Creator]:
    """Creators with handles and audience on a few platforms."""
    platforms = st.sampled_from([p for p in Platform if p is not Platform.BLOG])
    return st.builds(
        Creator,
        id=ids("cre"),
        display_name=_names,
        handles=st.dictionaries(platforms, _handles, max_size=3),
        audience=st.dictionaries(platforms, audience_stats(), max_size=3),
        themes=st.frozensets(_words, max_size=4),
        country=st.none() | st.sampled_from(["FR", "GB", "US", "BE", "DE", "JP"]),
        language=st.none() | st.sampled_from(["fr", "en", "de", "ja"]),
        contact=st.none() | contact_details(),
        audience_shares=st.none() | audience_shares(),
        audience_data=st.sampled_from(AudienceDataState),
        created_at=st.none() | aware_datetimes(),
    )


def groups() -> st.SearchStrategy[Group]:
    """Groups of existing-looking creator ids."""
    return st.builds(
        Group,
        id=ids("grp"),
        brand_id=ids("brand"),
        name=_names,
        creator_ids=st.lists(ids("cre"), max_size=8).map(tuple),
    )


def compensations() -> st.SearchStrategy[Compensation]:
    """A gift, a fee, both or neither."""
    return st.builds(Compensation, product_value=st.none() | money(), fee=st.none() | money())


def campaigns() -> st.SearchStrategy[Campaign]:
    """Campaigns of every kind, mode and status."""
    tags = st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789", min_size=1, max_size=20
    )
    return st.builds(
        Campaign,
        id=ids("cmp"),
        brand_id=ids("brand"),
        name=_names,
        kind=st.sampled_from(CampaignKind),
        mode=st.sampled_from(CampaignMode),
        window=date_windows(),
        compensation=compensations(),
        hashtags=st.lists(tags, max_size=4).map(tuple),
        mentions=st.lists(_handles.filter(lambda h: len(h) <= 100), max_size=3).map(tuple),
        summary=storable_text(max_size=200),
        brief=storable_text(max_size=500),
        group_id=st.none() | ids("grp"),
        language=st.none() | st.sampled_from(["fr", "en", "de"]),
        policies=st.builds(CampaignPolicies, tiers=tier_policies()),
        requirements=brief_requirements(),
        status=st.sampled_from(CampaignStatus),
        created_at=st.none() | aware_datetimes(),
    )


_phrases = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèà #@", min_size=1, max_size=30).filter(
    lambda t: bool(t.strip())
)


def brief_requirements() -> st.SearchStrategy[BriefRequirements]:
    """Brief requirements for any jurisdiction, with mandatory elements and weights."""
    weight = st.integers(0, 10)
    return st.builds(
        BriefRequirements,
        jurisdiction=st.none() | st.sampled_from(Jurisdiction),
        retouched_images=st.booleans(),
        virtual_images=st.booleans(),
        promo_code=st.booleans(),
        tracked_link=st.booleans(),
        contest_rules=st.none() | st.booleans(),
        product_shown=st.booleans(),
        mandatory=st.lists(
            st.builds(
                MandatoryElement,
                label=_phrases,
                match=st.lists(_phrases, max_size=3).map(tuple),
            ),
            max_size=3,
        ).map(tuple),
        hashtags_in_first_comment=st.booleans(),
        weights=st.builds(BriefWeights, hashtag=weight, disclosure=weight, mandatory=weight),
    )


def brief_reports() -> st.SearchStrategy[BriefReport]:
    """Reports of a brief check, with any verdicts."""
    result = st.builds(
        RequirementResult,
        kind=st.sampled_from(RequirementKind),
        label=storable_text(max_size=30),
        verdict=st.sampled_from(BriefVerdict),
        reason=storable_text(max_size=60),
        weight=st.decimals(min_value=0, max_value=10, places=3),
        where=st.sampled_from(["", "caption", "first comment", "on-screen text"]),
        evidence=storable_text(max_size=10),
    )
    return st.builds(
        BriefReport,
        results=st.lists(result, max_size=6).map(tuple),
        jurisdiction=st.none() | st.sampled_from(Jurisdiction),
    )


def _of_participation(prefix: str) -> dict[str, st.SearchStrategy[str]]:
    """Strategies for the id and participation ids of a kind that belongs to a participation."""
    return {
        "id": ids(prefix),
        "participation_id": ids("par"),
        "campaign_id": ids("cmp"),
        "brand_id": ids("brand"),
        "creator_id": ids("cre"),
    }


def metrics() -> st.SearchStrategy[Metrics]:
    """Metrics with any figure reported or not (None)."""
    figure = st.none() | st.integers(0, 10**12)
    return st.builds(Metrics, **{f.name: figure for f in attrs.fields(Metrics)})


_dates = st.dates(_dt.date(2020, 1, 1), _dt.date(2035, 12, 31))


def deliverables() -> st.SearchStrategy[Deliverable]:
    """Deliverables with or without planned and due dates (the due date never before)."""

    def build(planned: _dt.date | None, offset: int | None) -> st.SearchStrategy[Deliverable]:
        due = None if offset is None else (planned or _dt.date(2020, 1, 1)) + _dt.timedelta(offset)
        return st.builds(
            Deliverable,
            **_of_participation("dlv"),
            platform=st.sampled_from(Platform),
            format=st.sampled_from(ContentFormat),
            quantity=st.integers(1, 20),
            planned_on=st.just(planned),
            planned_time=st.none() if planned is None else st.none() | st.times(),
            due_on=st.just(due),
            notes=storable_text(max_size=40).map(str.strip),
            status=st.sampled_from(DeliverableStatus),
            sequence=st.integers(0, 50),
            created_at=st.none() | aware_datetimes(),
        )

    return st.tuples(st.none() | _dates, st.none() | st.integers(0, 60)).flatmap(
        lambda t: build(*t)
    )


def submissions() -> st.SearchStrategy[Submission]:
    """Submissions with metrics history, brief checks, validations and re-openings."""
    return st.builds(
        Submission,
        **_of_participation("sub"),
        url=st.sampled_from(["https://instagram.com/p/x", "http://example.com/a?b=c"]),
        platform=st.sampled_from(Platform),
        format=st.sampled_from(ContentFormat),
        published_at=aware_datetimes(),
        submitted_at=aware_datetimes(),
        caption=storable_text(max_size=200).map(str.strip),
        is_video=st.booleans(),
        deliverable_id=st.none() | ids("dlv"),
        first_comment=storable_text(max_size=40).map(str.strip),
        on_screen_text=storable_text(max_size=40).map(str.strip),
        metrics_history=st.lists(
            st.builds(MetricsSnapshot, aware_datetimes(), metrics(), storable_text(max_size=10)),
            max_size=3,
        ).map(tuple),
        brief_check=st.none() | brief_reports(),
        status=st.sampled_from(SubmissionStatus),
        validations=st.lists(
            st.builds(
                Validation,
                compliance=st.integers(0, 100),
                at=aware_datetimes(),
                by=storable_text(max_size=10),
                feedback=storable_text(max_size=40).map(str.strip),
                automatic=st.booleans(),
                late=st.booleans(),
            ),
            max_size=2,
        ).map(tuple),
        reopenings=st.lists(
            st.builds(
                Reopening,
                at=aware_datetimes(),
                by=storable_text(max_size=10),
                reason=_phrases.map(str.strip),
            ),
            max_size=2,
        ).map(tuple),
        post_id=st.none() | st.from_regex(r"[0-9A-Za-z_]{1,20}", fullmatch=True),
        expires_at=st.none() | aware_datetimes(),
        draft_id=st.none() | ids("dft"),
    )


def principals() -> st.SearchStrategy[Principal]:
    """Any acting principal."""
    return st.one_of(
        st.builds(BrandMember, ids("u"), ids("brand"), st.sampled_from(BrandRole)),
        st.builds(ClientReviewer, ids("r"), ids("brand"), st.frozensets(ids("cmp"), max_size=3)),
        st.builds(CreatorUser, ids("cre")),
        st.just(SystemActor()),
    )


def audit_entries() -> st.SearchStrategy[AuditEntry]:
    """Audit entries of reads, exports and erasures (issue 20)."""
    return st.builds(
        AuditEntry,
        id=ids("aud"),
        creator_id=ids("cre"),
        action=st.sampled_from(AuditAction),
        actor=principals().map(str),
        at=aware_datetimes(),
        brand_id=st.none() | ids("brand"),
        what=st.tuples(st.sampled_from(["contact", "shipment address", "everything"])),
        counts=st.dictionaries(st.sampled_from(["messages", "creator"]), st.integers(0, 99)),
        kept=storable_text(max_size=40),
    )


def retention_policies() -> st.SearchStrategy[RetentionPolicy]:
    """Retention policies, each kind kept some days or until erasure (None)."""
    days = st.none() | st.integers(1, 3_650)
    return st.builds(RetentionPolicy, days, days, days, days)


def _for_type(tp: Any) -> st.SearchStrategy[Any]:
    if tp is str:
        return storable_text(max_size=40)
    if tp is int:
        return st.integers(-(2**53), 2**53)
    if tp is bool:
        return st.booleans()
    if tp is Decimal:
        return st.decimals(allow_nan=False, allow_infinity=False, places=4)
    if tp is pendulum.DateTime:
        return aware_datetimes()
    if tp is _dt.date:
        return st.dates()
    if tp is Money:
        return money()
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(_for_type(args[0]), max_size=4).map(tuple)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_for_type(a) for a in args))
    if tp is type(None):
        return st.none()
    if attrs.has(tp):
        return _build(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(tp)
    raise TypeError(f"no strategy for {tp!r}")  # pragma: no cover - a new field type needs one


def _build(cls: type[Any]) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    return st.builds(cls, **{f.name: _for_type(hints[f.name]) for f in attrs.fields(cls)})


def events() -> st.SearchStrategy[DomainEvent]:
    """Any registered domain event, with every field drawn from its declared type."""
    return st.one_of(*(_build(cls) for cls in event_types().values()))


def _follower_ranges() -> st.SearchStrategy[FollowerRange]:
    return st.tuples(st.integers(0, 10**7), st.none() | st.integers(1, 10**7)).map(
        lambda lh: FollowerRange(lh[0], None if lh[1] is None else lh[0] + lh[1])
    )


def targetings() -> st.SearchStrategy[Targeting]:
    """Targetings of every shape (tiers and a follower range are not drawn together, as
    they may exclude each other: that is refused)."""
    sized: st.SearchStrategy[tuple[frozenset[Tier], FollowerRange | None]] = st.one_of(
        st.builds(lambda tiers: (tiers, None), st.frozensets(st.sampled_from(Tier))),
        st.builds(lambda r: (frozenset(), r), st.none() | _follower_ranges()),
    )
    audience = st.frozensets(st.sampled_from(_COUNTRIES), max_size=3)
    return st.builds(
        lambda size, **kw: Targeting(tiers=size[0], followers=size[1], **kw),
        sized,
        platforms=st.frozensets(st.sampled_from([p for p in Platform if p is not Platform.BLOG])),
        min_engagement_rate=st.none() | st.floats(0.001, 1, allow_nan=False),
        themes=st.frozensets(_words, max_size=3),
        countries=st.frozensets(st.sampled_from(_COUNTRIES), max_size=3),
        languages=st.frozensets(st.sampled_from(_LANGUAGES), max_size=2),
        audience_countries=audience,
        audience_languages=st.frozensets(st.sampled_from(_LANGUAGES), max_size=2),
        collaboration=st.none() | st.sampled_from(Collaboration),
        excluded=st.frozensets(ids("cre"), max_size=3),
    ).flatmap(
        lambda t: st.builds(
            lambda share: attrs.evolve(t, min_audience_share=share),
            st.just(0.0)
            if not (t.audience_countries or t.audience_languages)
            else st.sampled_from([0.0, 0.2, 0.5]),
        )
    )


def ratings() -> st.SearchStrategy[Ratings]:
    """Ratings with at least one criterion rated."""
    star = st.none() | st.integers(1, 5)
    return st.builds(
        Ratings,
        content_quality=st.integers(1, 5),
        reliability=star,
        communication=star,
        brief_respect=star,
    )


def creator_reviews() -> st.SearchStrategy[CreatorReview]:
    """End-of-campaign reviews."""
    return st.builds(
        CreatorReview,
        id=ids("rev"),
        campaign_id=ids("cmp"),
        brand_id=ids("brand"),
        creator_id=ids("cre"),
        ratings=ratings(),
        work_again=st.booleans(),
        reviewed_at=aware_datetimes(),
        reviewed_by=ids("u"),
        tags=st.frozensets(st.sampled_from(ReactivationTag)),
        note=storable_text(max_size=200).map(str.strip),
    )
