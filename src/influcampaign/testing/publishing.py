"""Hypothesis strategies for the values of issue 17: drafts, earned mentions and usage rights
(beside :mod:`influcampaign.testing.strategies`, whose building blocks they use)."""

from __future__ import annotations

import datetime as _dt

import attrs
from hypothesis import strategies as st

from influcampaign.domain.campaign import Campaign, CampaignMode
from influcampaign.domain.capture import EarnedMention
from influcampaign.domain.content import MetricsSnapshot
from influcampaign.domain.creator import AudienceDataState, Platform
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.drafts import (
    Draft,
    DraftDifference,
    DraftPublication,
    DraftReview,
    DraftStatus,
    DraftVerdict,
    DraftVersion,
)
from influcampaign.domain.exchanges import Exchange, ExchangeChannel
from influcampaign.domain.project_copy import HiddenCreators, OriginCreator, ProjectOrigin
from influcampaign.domain.rights import UsageChannel, UsageRights
from influcampaign.testing.strategies import (
    TIMEZONES,
    aware_datetimes,
    brief_reports,
    campaigns,
    ids,
    metrics,
    money,
    storable_text,
)

__all__ = [
    "copied_campaigns",
    "drafts",
    "earned_mentions",
    "exchanges",
    "project_origins",
    "usage_rights",
]


def _draft_versions() -> st.SearchStrategy[DraftVersion]:
    return st.builds(
        DraftVersion,
        number=st.integers(1, 5),
        at=aware_datetimes(),
        caption=storable_text(max_size=80).map(str.strip),
        on_screen_text=storable_text(max_size=20).map(str.strip),
        first_comment=storable_text(max_size=20).map(str.strip),
        media=st.lists(
            st.sampled_from(["https://cdn.example/a.mp4", "https://cdn.example/b.jpg"]),
            max_size=2,
            unique=True,
        ).map(tuple),
        brief_check=st.none() | brief_reports(),
    )


def drafts() -> st.SearchStrategy[Draft]:
    """Drafts with versions, reviews and publications (with differences)."""
    return st.builds(
        Draft,
        id=ids("dft"),
        participation_id=ids("par"),
        campaign_id=ids("cmp"),
        brand_id=ids("brand"),
        creator_id=ids("cre"),
        platform=st.sampled_from(Platform),
        format=st.sampled_from(ContentFormat),
        versions=st.lists(_draft_versions(), min_size=1, max_size=3).map(tuple),
        reviews=st.lists(
            st.builds(
                DraftReview,
                version=st.integers(1, 3),
                verdict=st.sampled_from(DraftVerdict),
                at=aware_datetimes(),
                by=storable_text(max_size=10),
                comments=storable_text(max_size=40).map(str.strip),
            ),
            max_size=2,
        ).map(tuple),
        publications=st.lists(
            st.builds(
                DraftPublication,
                submission_id=ids("sub"),
                at=aware_datetimes(),
                differences=st.lists(
                    st.builds(
                        DraftDifference,
                        storable_text(max_size=10),
                        storable_text(max_size=10),
                        storable_text(max_size=40),
                    ),
                    max_size=2,
                ).map(tuple),
            ),
            max_size=2,
        ).map(tuple),
        status=st.sampled_from(DraftStatus),
    )


_POST_IDS = st.from_regex(r"[0-9A-Za-z_]{1,20}", fullmatch=True)
_HANDLES = st.from_regex(r"[a-z0-9_.\-]{1,20}", fullmatch=True)


def earned_mentions() -> st.SearchStrategy[EarnedMention]:
    """Earned mentions with their metrics history."""
    return st.builds(
        EarnedMention,
        id=ids("ern"),
        campaign_id=ids("cmp"),
        brand_id=ids("brand"),
        platform=st.sampled_from([p for p in Platform if p is not Platform.BLOG]),
        post_id=_POST_IDS,
        author=_HANDLES,
        url=st.sampled_from(["https://instagram.com/p/x", "http://example.com/a?b=c"]),
        format=st.sampled_from(ContentFormat),
        published_at=aware_datetimes(),
        captured_at=aware_datetimes(),
        caption=storable_text(max_size=80).map(str.strip),
        matched=st.lists(st.sampled_from(["#SummerGlow", "@acme", "LEA10"]), max_size=3).map(tuple),
        metrics_history=st.lists(
            st.builds(MetricsSnapshot, aware_datetimes(), metrics(), storable_text(max_size=10)),
            max_size=2,
        ).map(tuple),
        expires_at=st.none() | aware_datetimes(),
    )


def usage_rights() -> st.SearchStrategy[UsageRights]:
    """Usage rights on any channels and territories, perpetual or not, maybe revoked."""
    return st.builds(
        lambda start, length, **fields: UsageRights(
            starts_on=start,
            ends_on=None if length is None else start + _dt.timedelta(days=length),
            **fields,
        ),
        st.dates(_dt.date(2020, 1, 1), _dt.date(2035, 12, 31)),
        st.none() | st.integers(0, 800),
        id=ids("rgt"),
        submission_id=ids("sub"),
        participation_id=ids("par"),
        campaign_id=ids("cmp"),
        brand_id=ids("brand"),
        creator_id=ids("cre"),
        channels=st.frozensets(st.sampled_from(UsageChannel), min_size=1),
        territories=st.lists(st.sampled_from(["FR", "BE", "GB", "worldwide"]), min_size=1).map(
            tuple
        ),
        timezone=st.sampled_from(TIMEZONES),
        exclusive=st.booleans(),
        fee=st.none() | money(),
        cost_id=st.none() | ids("cost"),
        remind_days_before=st.integers(0, 365),
        notes=storable_text(max_size=40).map(str.strip),
        granted_at=st.none() | aware_datetimes(),
        revoked_at=st.none() | aware_datetimes(),
        reminded_at=st.none() | aware_datetimes(),
    )


def project_origins() -> st.SearchStrategy[ProjectOrigin]:
    """Records of a project copied from another, the creators set apart moved or left out."""
    return st.builds(
        ProjectOrigin,
        campaign_id=ids("cmp"),
        hidden=st.sampled_from(HiddenCreators),
        creators=st.lists(
            st.builds(
                OriginCreator,
                creator_id=ids("cre"),
                participation_id=ids("par"),
                audience_data=st.sampled_from(
                    [AudienceDataState.HIDDEN, AudienceDataState.OPTED_OUT]
                ),
            ),
            max_size=3,
        ).map(tuple),
        copied_at=st.none() | aware_datetimes(),
    )


def copied_campaigns() -> st.SearchStrategy[Campaign]:
    """Projects copied from another one (with their origin)."""
    return st.builds(
        lambda campaign, origin: attrs.evolve(campaign, mode=CampaignMode.PROJECT, origin=origin),
        campaigns(),
        project_origins(),
    )


def exchanges() -> st.SearchStrategy[Exchange]:
    """Entries of a brand's log of contacts with a creator, on any channel."""
    return st.builds(
        Exchange,
        id=ids("exc"),
        brand_id=ids("brand"),
        creator_id=ids("cre"),
        channel=st.sampled_from(ExchangeChannel),
        summary=storable_text(min_size=1, max_size=60).filter(lambda t: bool(t.strip())),
        by=storable_text(min_size=1, max_size=20).filter(lambda t: bool(t.strip())),
        happened_at=aware_datetimes(),
        contact=storable_text(max_size=20),
        campaign_id=st.none() | ids("cmp"),
        logged_by=st.sampled_from(["", "u_ana"]),
        logged_at=st.none() | aware_datetimes(),
    )
