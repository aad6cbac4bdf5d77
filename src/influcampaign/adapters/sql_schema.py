"""The SQL schema, as an ordered list of migrations.

The current :class:`sqlalchemy.MetaData` is built by replaying the migrations, so the
schema is written once: a database at version *n* is upgraded by applying steps *n+1* …,
and the tables the code queries are exactly those the steps created. The steps themselves
are in :mod:`influcampaign.adapters.sql_steps`.
"""

from __future__ import annotations

import sqlalchemy as sa

from influcampaign.adapters.sql_steps import (
    BIGINT_PK,
    JSON,
    AddColumn,
    BinaryCollation,
    CreateIndex,
    CreateTable,
    Execute,
    Step,
    _aggregate,
    _flag,
    _micros,
    _text,
)

__all__ = [
    "LATEST_VERSION",
    "MIGRATIONS",
    "AddColumn",
    "BinaryCollation",
    "CreateIndex",
    "CreateTable",
    "Execute",
    "metadata",
]

MIGRATIONS: tuple[tuple[Step, ...], ...] = (
    # version 1: creators, groups, campaigns, the outbox
    (
        CreateTable(
            "ic_meta",
            lambda: [
                sa.Column("key", sa.String(64), primary_key=True),
                sa.Column("value", sa.String(256), nullable=False),
            ],
        ),
        CreateTable(
            "ic_creators",
            _aggregate(
                "ic_creators", _text("country", length=2), _text("audience_data", nullable=False)
            ),
            (("ix_ic_creators_country", ("country",), False),),
        ),
        CreateTable(
            "ic_groups",
            _aggregate("ic_groups", _text("brand_id", nullable=False)),
            (("ix_ic_groups_brand", ("brand_id",), False),),
        ),
        CreateTable(
            "ic_campaigns",
            _aggregate(
                "ic_campaigns",
                _text("brand_id", nullable=False),
                _text("status", nullable=False),
                _text("mode", nullable=False),
            ),
            (
                ("ix_ic_campaigns_brand", ("brand_id",), False),
                ("ix_ic_campaigns_status", ("status",), False),
            ),
        ),
        CreateTable(
            "ic_outbox",
            lambda: [
                sa.Column("position", BIGINT_PK, primary_key=True, autoincrement=True),
                sa.Column("id", sa.String(128), nullable=False, unique=True),
                sa.Column("type", sa.String(128), nullable=False),
                sa.Column("occurred_at_us", sa.BigInteger, nullable=False),
                sa.Column("payload", JSON, nullable=False),
                sa.Column("delivered", sa.Boolean, nullable=False, server_default=sa.false()),
            ],
            (("ix_ic_outbox_pending", ("delivered", "position"), False),),
        ),
    ),
)

MIGRATIONS += (
    # version 2: the campaign workflow (applications, participations, shipments, messages,
    # templates, submissions) and the scheduler's jobs with their indexed due times.
    (
        CreateTable(
            "ic_applications",
            _aggregate(
                "ic_applications",
                _text("campaign_id", nullable=False),
                _text("creator_id", nullable=False),
                _text("status", nullable=False, length=32),
                _micros("applied_at_us", nullable=False),
            ),
            (
                ("ix_ic_applications_campaign", ("campaign_id", "status", "applied_at_us"), False),
                ("ix_ic_applications_creator", ("creator_id",), False),
            ),
        ),
        CreateTable(
            "ic_participations",
            _aggregate(
                "ic_participations",
                _text("campaign_id", nullable=False),
                _text("creator_id", nullable=False),
                _text("status", nullable=False, length=32),
            ),
            (
                ("ux_ic_participations_pair", ("campaign_id", "creator_id"), True),
                ("ix_ic_participations_creator", ("creator_id",), False),
            ),
        ),
        CreateTable(
            "ic_shipments",
            _aggregate(
                "ic_shipments",
                _text("campaign_id", nullable=False),
                _text("participation_id", nullable=False),
                _text("status", nullable=False, length=32),
            ),
            (
                ("ix_ic_shipments_campaign", ("campaign_id",), False),
                ("ix_ic_shipments_participation", ("participation_id",), False),
            ),
        ),
        CreateTable(
            "ic_messages",
            _aggregate(
                "ic_messages",
                _text("participation_id", nullable=False),
                _text("campaign_id", nullable=False),
                _micros("sent_at_us", nullable=False),
                _flag("unread_by_brand"),
                _flag("unread_by_creator"),
            ),
            (
                ("ix_ic_messages_thread", ("participation_id", "sent_at_us"), False),
                ("ix_ic_messages_unread_brand", ("campaign_id", "unread_by_brand"), False),
            ),
        ),
        CreateTable(
            "ic_templates",
            _aggregate(
                "ic_templates",
                _text("brand_id", nullable=False),
                _text("kind", nullable=False, length=32),
            ),
            (("ix_ic_templates_brand", ("brand_id", "kind"), False),),
        ),
        CreateTable(
            "ic_submissions",
            _aggregate(
                "ic_submissions",
                _text("participation_id", nullable=False),
                _text("campaign_id", nullable=False),
            ),
            (
                ("ix_ic_submissions_participation", ("participation_id",), False),
                ("ix_ic_submissions_campaign", ("campaign_id",), False),
            ),
        ),
        CreateTable(
            "ic_jobs",
            _aggregate(
                "ic_jobs",
                _text("status", nullable=False, length=16),
                _micros("due_at_us", nullable=False),
                _text("kind", nullable=False, length=64),
                _text("subject_id", nullable=False),
            ),
            (
                ("ix_ic_jobs_due", ("status", "due_at_us"), False),
                ("ix_ic_jobs_subject", ("subject_id", "status"), False),
            ),
        ),
    ),
)

MIGRATIONS += (
    # version 3: deliverables (what creators owe, planned in the calendar)
    (
        CreateTable(
            "ic_deliverables",
            _aggregate(
                "ic_deliverables",
                _text("participation_id", nullable=False),
                _text("campaign_id", nullable=False),
                _text("status", nullable=False, length=16),
            ),
            (
                ("ix_ic_deliverables_participation", ("participation_id",), False),
                ("ix_ic_deliverables_campaign", ("campaign_id", "status"), False),
            ),
        ),
    ),
)

MIGRATIONS += (
    # version 4: sales attribution (tracked links, clicks, promo codes, shop orders, and the
    # receipts that make shop webhooks apply once)
    (
        CreateTable(
            "ic_links",
            _aggregate(
                "ic_links",
                _text("participation_id", nullable=False),
                _text("campaign_id", nullable=False),
                _text("brand_id", nullable=False),
            ),
            (
                ("ix_ic_links_participation", ("participation_id",), False),
                ("ix_ic_links_campaign", ("campaign_id",), False),
            ),
        ),
        CreateTable(
            "ic_clicks",
            _aggregate(
                "ic_clicks",
                _text("link_id", nullable=False),
                _text("campaign_id", nullable=False),
                _text("visitor", nullable=False, length=64),
                _micros("at_us", nullable=False),
            ),
            (
                ("ix_ic_clicks_visitor", ("visitor", "link_id", "at_us"), False),
                ("ix_ic_clicks_campaign", ("campaign_id", "at_us"), False),
            ),
        ),
        CreateTable(
            "ic_promo_codes",
            _aggregate(
                "ic_promo_codes",
                _text("participation_id", nullable=False),
                _text("campaign_id", nullable=False),
                _text("brand_id", nullable=False),
            ),
            (
                ("ix_ic_promo_codes_participation", ("participation_id",), False),
                ("ix_ic_promo_codes_campaign", ("campaign_id",), False),
            ),
        ),
        CreateTable(
            "ic_orders",
            _aggregate(
                "ic_orders",
                _text("brand_id", nullable=False),
                _text("campaign_id"),
                _text("participation_id"),
            ),
            (("ix_ic_orders_campaign", ("campaign_id", "participation_id"), False),),
        ),
        CreateTable(
            "ic_receipts",
            _aggregate("ic_receipts", _text("order_id", nullable=False)),
            (("ix_ic_receipts_order", ("order_id",), False),),
        ),
    ),
)

MIGRATIONS += (
    # version 5: money (costs and payments, the brands' EMV rate cards)
    (
        CreateTable(
            "ic_costs",
            _aggregate(
                "ic_costs",
                _text("campaign_id", nullable=False),
                _text("participation_id"),
                _text("status", nullable=False, length=16),
            ),
            (
                ("ix_ic_costs_campaign", ("campaign_id", "status"), False),
                ("ix_ic_costs_participation", ("participation_id",), False),
            ),
        ),
        CreateTable(
            "ic_rate_cards",
            _aggregate(
                "ic_rate_cards",
                _text("brand_id", nullable=False),
                _text("name", nullable=False),
            ),
            (("ix_ic_rate_cards_brand", ("brand_id", "name"), False),),
        ),
    ),
)

MIGRATIONS += (
    # version 6: the end-of-campaign reviews of creators
    (
        CreateTable(
            "ic_reviews",
            _aggregate(
                "ic_reviews",
                _text("brand_id", nullable=False),
                _text("campaign_id", nullable=False),
                _text("creator_id", nullable=False),
            ),
            (
                ("ix_ic_reviews_campaign", ("campaign_id",), False),
                ("ix_ic_reviews_creator", ("brand_id", "creator_id"), False),
            ),
        ),
    ),
)

MIGRATIONS += (
    # version 7: the same answers on every server and under concurrency. Text columns sort
    # by code point on PostgreSQL too; an application is "live" (pending or accepted) under
    # one key per (offer, creator), which a unique index holds whatever the writers.
    (
        BinaryCollation(
            (
                "ic_creators",
                "ic_groups",
                "ic_campaigns",
                "ic_applications",
                "ic_participations",
                "ic_shipments",
                "ic_messages",
                "ic_templates",
                "ic_submissions",
                "ic_jobs",
                "ic_deliverables",
                "ic_links",
                "ic_clicks",
                "ic_promo_codes",
                "ic_orders",
                "ic_receipts",
                "ic_costs",
                "ic_rate_cards",
                "ic_reviews",
            )
        ),
        AddColumn("ic_applications", _text("live_key", length=260)),
        Execute(
            "UPDATE ic_applications SET live_key = campaign_id || '/' || creator_id "
            "WHERE status IN ('pending', 'accepted')"
        ),
        CreateIndex("ux_ic_applications_live", "ic_applications", ("live_key",), unique=True),
        # one participation per (campaign, creator) under a key the specs know, so the memory
        # store holds it too and a clash names the holder
        AddColumn("ic_participations", _text("pair_key", length=260)),
        Execute("UPDATE ic_participations SET pair_key = campaign_id || '/' || creator_id"),
        CreateIndex(
            "ux_ic_participations_pair_key", "ic_participations", ("pair_key",), unique=True
        ),
    ),
)

MIGRATIONS += (
    # version 8 (issue 20): the audit of reads, exports and erasures of personal data
    (
        CreateTable(
            "ic_audit",
            _aggregate(
                "ic_audit",
                _text("creator_id", nullable=False),
                _text("action", nullable=False, length=16),
                _text("brand_id"),
                _micros("at_us", nullable=False),
            ),
            (("ix_ic_audit_creator", ("creator_id", "at_us"), False),),
        ),
    ),
    # version 9 (issue 17): drafts approved before publication, earned
    # mentions found by post capture, and usage rights on contents
    (
        CreateTable(
            "ic_drafts",
            _aggregate(
                "ic_drafts",
                _text("participation_id", nullable=False),
                _text("campaign_id", nullable=False),
                _text("status", nullable=False, length=32),
            ),
            (
                ("ix_ic_drafts_participation", ("participation_id", "status"), False),
                ("ix_ic_drafts_campaign", ("campaign_id",), False),
            ),
        ),
        CreateTable(
            "ic_earned_mentions",
            _aggregate(
                "ic_earned_mentions",
                _text("campaign_id", nullable=False),
                _micros("published_at_us", nullable=False),
            ),
            (("ix_ic_earned_mentions_campaign", ("campaign_id", "published_at_us"), False),),
        ),
        CreateTable(
            "ic_usage_rights",
            _aggregate(
                "ic_usage_rights",
                _text("submission_id", nullable=False),
                _text("campaign_id", nullable=False),
                _text("brand_id", nullable=False),
            ),
            (
                ("ix_ic_usage_rights_submission", ("submission_id",), False),
                ("ix_ic_usage_rights_campaign", ("campaign_id",), False),
                ("ix_ic_usage_rights_brand", ("brand_id",), False),
            ),
        ),
    ),
)

MIGRATIONS += (
    # version 10 (issue 18, creator pay): the commission ledger and payout statements, whose numbers
    # and per-creator ranks unique indexes keep unrepeated whatever the writers
    (
        CreateTable(
            "ic_commissions",
            _aggregate(
                "ic_commissions",
                _text("brand_id", nullable=False),
                _text("campaign_id", nullable=False),
                _text("creator_id", nullable=False),
                _text("status", nullable=False, length=16),
            ),
            (
                ("ix_ic_commissions_campaign", ("campaign_id", "status"), False),
                ("ix_ic_commissions_creator", ("brand_id", "creator_id"), False),
            ),
        ),
        CreateTable(
            "ic_statements",
            _aggregate(
                "ic_statements",
                _text("brand_id", nullable=False),
                _text("creator_id", nullable=False),
                _text("number_key", nullable=False, length=140),
                _text("sequence_key", nullable=False, length=280),
            ),
            (
                ("ix_ic_statements_creator", ("brand_id", "creator_id"), False),
                ("ux_ic_statements_number", ("number_key",), True),
                ("ux_ic_statements_sequence", ("sequence_key",), True),
            ),
        ),
    ),
)

MIGRATIONS += (
    # version 11 (issue 23, campaign kinds): contests, their entries (one eligible entry per
    # person under a unique key) and brand events with their guest lists
    (
        CreateTable(
            "ic_contests",
            _aggregate(
                "ic_contests",
                _text("campaign_id", nullable=False),
                _text("brand_id", nullable=False),
            ),
            (("ix_ic_contests_campaign", ("campaign_id",), False),),
        ),
        CreateTable(
            "ic_contest_entries",
            _aggregate(
                "ic_contest_entries",
                _text("contest_id", nullable=False),
                _text("campaign_id", nullable=False),
                _text("status", nullable=False, length=16),
                _text("unique_key", length=200),
            ),
            (
                ("ix_ic_contest_entries_contest", ("contest_id", "status"), False),
                ("ux_ic_contest_entries_unique", ("unique_key",), True),
            ),
        ),
        CreateTable(
            "ic_brand_events",
            _aggregate(
                "ic_brand_events",
                _text("campaign_id", nullable=False),
                _text("brand_id", nullable=False),
                _micros("starts_at_us", nullable=False),
            ),
            (("ix_ic_brand_events_campaign", ("campaign_id",), False),),
        ),
    ),
)

MIGRATIONS += (
    # version 12 (issue 17, capture2): the brand's log of exchanges with creators outside
    # the thread (calls, emails, meetings, notes)
    (
        CreateTable(
            "ic_exchanges",
            _aggregate(
                "ic_exchanges",
                _text("brand_id", nullable=False),
                _text("creator_id", nullable=False),
                _text("campaign_id"),
                _micros("happened_at_us", nullable=False),
            ),
            (
                ("ix_ic_exchanges_creator", ("brand_id", "creator_id", "happened_at_us"), False),
                ("ix_ic_exchanges_campaign", ("campaign_id",), False),
            ),
        ),
    ),
)

LATEST_VERSION = len(MIGRATIONS)


def metadata(version: int = LATEST_VERSION) -> sa.MetaData:
    """The schema at ``version``, built by replaying the migrations (a new object each call)."""
    meta = sa.MetaData()
    for steps in MIGRATIONS[:version]:
        for step in steps:
            step.replay(meta)
    return meta
