"""Bulk EMV over many contents (influcampaign.analytics.emv)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pendulum
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.analytics.emv import bulk_emv, metrics_matrix
from influcampaign.analytics.report import (
    emv_of,
)
from influcampaign.domain.content import ContentFormat, Metrics, Submission
from influcampaign.domain.creator import Platform
from influcampaign.domain.emv import ACTIONS
from tests.helpers import at, rates_fn

E = ic.EmvAction


metric_values = st.one_of(st.none(), st.integers(0, 10**9))


metrics_strategy = st.one_of(
    st.none(), st.builds(Metrics, **{a.value: metric_values for a in ACTIONS})
)


formats = st.sampled_from(list(ContentFormat))


platforms = st.sampled_from([Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE, Platform.X])


class TestEmvProperties:
    @given(st.lists(st.tuples(metrics_strategy, platforms, formats), max_size=30))
    def test_bulk_emv_equals_the_per_content_rule(self, contents: list[Any]) -> None:
        """The numpy path gives each content exactly the card's value, and the same missing
        actions."""
        card = ic.DEFAULT_RATE_CARD
        tables: list[Any] = []
        index: dict[Any, int] = {}
        rows = []
        for _m, p, f in contents:
            if (p, f) not in index:
                index[(p, f)] = len(tables)
                tables.append(card.unit_values(p, f))
            rows.append(index[(p, f)])
        bulk = bulk_emv(
            metrics_matrix([m for m, _, _ in contents]), np.array(rows, dtype=np.intp), tables
        )
        for i, (m, p, f) in enumerate(contents):
            expected = card.value(m, p, f)
            assert bulk.exact(i) == (None if expected.value is None else expected.value.amount)
            if m is not None:
                assert bulk.missing_actions(i) == expected.missing

    @given(st.lists(st.tuples(metrics_strategy, formats), max_size=20), st.data())
    def test_emv_is_additive_over_contents(self, contents: list[Any], data: st.DataObject) -> None:
        """The EMV of all contents is the sum of the EMV of any split of them."""
        subs = [
            Submission(
                id=f"s{i}",
                participation_id="p",
                campaign_id="c",
                brand_id="b",
                creator_id=f"cr{i % 3}",
                url=f"https://x.com/{i}",
                platform="instagram",
                format=f,
                published_at=pendulum.datetime(2026, 3, 1 + i % 20, tz="UTC"),
                submitted_at=pendulum.datetime(2026, 3, 1 + i % 20, tz="UTC"),
                metrics_history=() if m is None else (ic.MetricsSnapshot(at(1), m),),
            )
            for i, (m, f) in enumerate(contents)
        ]
        book = ic.RateCardBook(ic.DEFAULT_RATE_CARD)
        cut = data.draw(st.integers(0, len(subs)))
        whole = emv_of(subs, book, "USD", rates_fn)
        parts = [
            emv_of(subs[:cut], book, "USD", rates_fn),
            emv_of(subs[cut:], book, "USD", rates_fn),
        ]
        known = [p.total for p in parts if p.total is not None]
        assert whole.total == (ic.Money.sum(known, "USD") if known else None)
        per_content = [c.emv for c in whole.contents if c.emv is not None]
        assert whole.total == (ic.Money.sum(per_content, "USD") if per_content else None)
