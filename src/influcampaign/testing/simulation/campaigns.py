"""Steps of the simulation: creators register, groups and campaigns are made and moved."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from influcampaign.domain.brief import BriefRequirements
from influcampaign.domain.campaign import CampaignPolicies, Compensation, DateWindow
from influcampaign.domain.creator import AudienceStats
from influcampaign.domain.money import Money
from influcampaign.domain.policies import (
    ApplicationPolicy,
    AttributionPolicy,
    AttributionRule,
    ListApprovalPolicy,
    ValidationPolicy,
)
from influcampaign.domain.principals import CreatorUser, SystemActor
from influcampaign.testing import strategies as ics
from influcampaign.testing.simulation.model import _PICK, BRAND, SimulationModel, _actors, _Side


class CampaignSteps(SimulationModel):
    """Steps of the simulation: creators register, groups and campaigns are made and moved."""

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
