"""Use cases of tracked links, clicks and promo codes."""

from __future__ import annotations

import builtins
import datetime as _dt
import ipaddress
import secrets
from typing import Any, TypeVar

import attrs
import pendulum

from influcampaign.domain.access import Permission
from influcampaign.domain.campaign import Campaign
from influcampaign.domain.creator import Creator
from influcampaign.domain.participation import Participation
from influcampaign.domain.principals import Principal
from influcampaign.domain.tokens import SigningKeys
from influcampaign.domain.tracking import (
    CLICK_ID_PARAMETER,
    Click,
    PromoCode,
    TrackedLink,
    Utm,
    normalise_code,
    slugify,
    with_params,
)
from influcampaign.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    ConfigurationError,
    NotFound,
    ValidationError,
)
from influcampaign.ports import BotFilter, UnitOfWork
from influcampaign.rules.promo_codes import CodeRules, random_suffix, render_pattern
from influcampaign.services._base import (
    Service,
    campaign_resource,
    participation_resource,
    stable_id,
)
from influcampaign.services._context import ServiceContext

__all__ = ["ClickOutcome", "LinkService", "PromoCodeService", "promo_code_id"]

_SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # lower-case, unambiguous: 5 bits each
_SLUG_LENGTH = 16  # 80 random bits: not guessable, not enumerable


def promo_code_id(brand_id: str, code: str) -> str:
    """The id of a brand's promo code: codes are unique per brand, case-insensitively."""
    return stable_id("pcd", brand_id, normalise_code(code))


def _participation_to_track(
    service: Service, uow: UnitOfWork, actor: Principal, participation_id: str, what: str
) -> Participation:
    """The participation a link or a code is made for, once ``actor`` may manage its
    tracking and the creator is still in."""
    participation = service._load_participation(
        uow, actor, Permission.TRACKING_WRITE, participation_id, what
    )
    participation.ensure_open(f"create a {what}")
    return participation


@attrs.frozen
class ClickOutcome:
    """What became of a request on a tracked link.

    ``redirect_to`` is where to send the visitor (always given for a known link, even for
    a robot, so previews still work). ``counted`` says whether a click was stored, and
    ``reason`` why not; ``unique`` whether it is the visitor's first within the window.
    ``click_token`` is the signed click id, also added to ``redirect_to`` as ``icclid``.
    """

    redirect_to: str
    counted: bool
    unique: bool = False
    reason: str = ""
    click_id: str | None = None
    click_token: str | None = None


def _visitor_ip(value: Any) -> str | None:
    """The client's address: the first of an ``X-Forwarded-For`` list (the client itself);
    None when it is not an IP address (a test client's "testclient", an empty header)."""
    first = str(value).split(",")[0].strip() if isinstance(value, str) else ""
    try:
        return ipaddress.ip_address(first).compressed
    except ValueError:
        return None


class LinkService(Service):
    """``workspace.links``: tracked links per participation, and the clicks on them.

    ``keys`` sign click ids and hash visitors; ``bots`` tells robots from people (default:
    the maintained crawler list of the ``tracking`` extra, loaded on the first click)."""

    def __init__(
        self, context: ServiceContext, *, keys: SigningKeys | None, bots: BotFilter | None
    ) -> None:
        super().__init__(context)
        self._signing_keys = keys
        self._bot_filter = bots

    def create(
        self,
        actor: Principal,
        participation_id: str,
        *,
        landing_url: str,
        utm_source: str | None = None,
        utm_medium: str = "influencer",
        utm_campaign: str | None = None,
    ) -> TrackedLink:
        """A new tracked link with an unguessable slug, to ``landing_url`` with UTM
        parameters: source (default: the creator's main platform), medium, campaign (default:
        the campaign's name as a slug) and content (the link's slug, so that an order's
        landing page points back to it)."""
        now = self._now()
        self._keys()  # a link nobody could count clicks on is refused up front
        with self._write() as uow:
            participation = _participation_to_track(
                self, uow, actor, participation_id, "tracked link"
            )
            campaign = uow.campaigns.get(participation.campaign_id)
            creator = uow.creators.get(participation.creator_id)
            slug = self._new_slug(uow)
            link = TrackedLink.create(
                now,
                id=f"lnk_{slug}",
                **participation.refs(),
                slug=slug,
                landing_url=landing_url,
                utm=Utm(
                    source=utm_source or _main_platform(creator),
                    medium=utm_medium,
                    campaign=utm_campaign or slugify(campaign.name),
                    content=slug,
                ),
            )
            uow.links.add(link)
        return link

    @staticmethod
    def _new_slug(uow: UnitOfWork) -> str:
        for _ in range(5):
            slug = "".join(secrets.choice(_SLUG_ALPHABET) for _ in range(_SLUG_LENGTH))
            if not uow.links.exists(f"lnk_{slug}"):
                return slug
        raise RuntimeError("could not draw a free link slug")  # pragma: no cover - 2^80 space

    def get(self, actor: Principal, link_id: str) -> TrackedLink:
        """A tracked link."""
        with self._read() as uow:
            link = uow.links.get(link_id)
            participation = uow.participations.get(link.participation_id)
            self._check(actor, Permission.SALES_READ, participation_resource(participation, "link"))
            return link

    def list(self, actor: Principal, campaign_id: str) -> builtins.list[TrackedLink]:
        """The tracked links of a campaign."""
        with self._read() as uow:
            return _readable(self, uow, actor, campaign_id, uow.links.find(campaign_id=campaign_id))

    def _keys(self) -> SigningKeys:
        if self._signing_keys is None:
            raise ConfigurationError(
                "keys: tracked links need signing keys: Workspace(..., keys=SigningKeys(…))"
            )
        return self._signing_keys

    def _bots(self) -> BotFilter:
        if self._bot_filter is None:
            from influcampaign.adapters.bots import KnownBots  # lazy: the tracking extra

            self._bot_filter = KnownBots()
        return self._bot_filter

    def click(self, slug: str, *, ip: str, user_agent: str, method: str = "GET") -> ClickOutcome:
        """Record a request on a tracked link and say where to redirect.

        Only GET requests by people count: HEAD and other methods, robots and link-preview
        fetchers are answered but not stored. A visitor is a keyed hash of the IP address
        and user agent (the address is never stored); its clicks on one link within the
        campaign's de-duplication window count once as unique. An unknown slug is NotFound.

        A known slug is always redirected: only counting depends on the request. ``ip`` may
        be an ``X-Forwarded-For`` list (its first address is the client's); a request whose
        address is not an IP address is redirected but not counted.
        """
        agent = user_agent if isinstance(user_agent, str) else ""
        now = self._now()
        with self._write() as uow:
            link = uow.links.get(f"lnk_{slug}") if isinstance(slug, str) else None
            if link is None or link.slug != slug:
                raise NotFound("link", str(slug))
            if str(method).upper() != "GET":
                return ClickOutcome(link.destination, False, reason=f"{method} is not a visit")
            if not link.active:
                return ClickOutcome(link.destination, False, reason="the link is deactivated")
            bot = self._bots().bot_name(agent)
            if bot is not None:
                return ClickOutcome(link.destination, False, reason=f"robot ({bot})")
            address = _visitor_ip(ip)
            if address is None:
                why = f"the client address {str(ip)[:60]!r} is not an IP address"
                return ClickOutcome(link.destination, False, reason=why)
            keys = self._signing_keys
            if keys is None:
                why = "the workspace has no signing keys to sign click ids"
                return ClickOutcome(link.destination, False, reason=why)
            campaign = uow.campaigns.get(link.campaign_id)
            visitor = keys.keyed_hash("visitor", address, agent)
            window = campaign.policies.clicks.dedup_window_seconds
            since = now.subtract(seconds=window)
            recent = [c for c in uow.clicks.find(visitor=visitor, link_id=link.id) if c.at > since]
            click = Click(
                id=self._new_id("clk"),
                link_id=link.id,
                **link.event_refs(),
                at=now,
                visitor=visitor,
                unique=not recent,
                day=_local_day(now, campaign),
            )
            uow.clicks.add(click)
        token = keys.sign(click.id)
        return ClickOutcome(
            with_params(link.destination, {CLICK_ID_PARAMETER: token}),
            True,
            unique=click.unique,
            click_id=click.id,
            click_token=token,
        )


_Owned = TypeVar("_Owned", TrackedLink, PromoCode)


def _readable(
    service: Service,
    uow: UnitOfWork,
    actor: Principal,
    campaign_id: str,
    items: builtins.list[_Owned],
) -> builtins.list[_Owned]:
    """The items of a campaign ``actor`` may read: all of them for the brand, a creator's
    own otherwise."""
    campaign = uow.campaigns.get(campaign_id)
    if service._allowed(actor, Permission.SALES_READ, campaign_resource(campaign)):
        return items
    participations = {p.id: p for p in uow.participations.find(campaign_id=campaign_id)}
    return [
        item
        for item in items
        if service._allowed(
            actor,
            Permission.SALES_READ,
            participation_resource(participations[item.participation_id]),
        )
    ]


def _local_day(moment: pendulum.DateTime, campaign: Campaign) -> _dt.date:
    return campaign.window.local(moment).date()


def _main_platform(creator: Creator) -> str:
    if creator.audience:
        return max(creator.audience.items(), key=lambda kv: kv[1].followers)[0].value
    if creator.handles:
        return next(iter(creator.handles)).value
    return "influencer"


class PromoCodeService(Service):
    """``workspace.codes``: promo codes per participation, unique within the brand."""

    def create(
        self,
        actor: Principal,
        participation_id: str,
        *,
        pattern: str = "{HANDLE}{PERCENT}",
        percent_off: int | None = None,
        code: str | None = None,
        rules: CodeRules | None = None,
    ) -> PromoCode:
        """A new promo code: ``code`` as given, or made from ``pattern``. A code made from a
        pattern that is already taken in the brand gets a random suffix; a code given as
        such that is taken is refused with a ValidationError."""
        if percent_off is not None and (
            isinstance(percent_off, bool)
            or not isinstance(percent_off, int)
            or not 1 <= percent_off <= 100
        ):
            raise ValidationError("percent_off", percent_off, "must be a whole percentage 1-100")
        rules = rules or CodeRules()
        now = self._now()
        with self._write() as uow:
            participation = _participation_to_track(
                self, uow, actor, participation_id, "promo code"
            )
            if code is not None:
                text = rules.check(code)
                if uow.promo_codes.exists(promo_code_id(participation.brand_id, text)):
                    raise ValidationError("code", code, "is already used by this brand")
            else:
                campaign = uow.campaigns.get(participation.campaign_id)
                creator = uow.creators.get(participation.creator_id)
                text = self._from_pattern(
                    uow, pattern, participation, campaign, creator, percent_off, rules
                )
            promo = PromoCode.create(
                now,
                id=promo_code_id(participation.brand_id, text),
                code=text,
                **participation.refs(),
                percent_off=percent_off,
            )
            try:
                uow.promo_codes.add(promo)
            except AlreadyExists as e:  # another process took this code since it was checked
                if code is not None:
                    raise ValidationError("code", code, "is already used by this brand") from e
                raise ConcurrencyConflict("promo code", promo.id, 0, None) from e  # retry: a suffix
        return promo

    @staticmethod
    def _from_pattern(
        uow: UnitOfWork,
        pattern: str,
        participation: Participation,
        campaign: Campaign,
        creator: Creator,
        percent_off: int | None,
        rules: CodeRules,
    ) -> str:
        handle = next(iter(creator.handles.values()), creator.display_name)
        values = {
            "HANDLE": handle,
            "NAME": creator.display_name,
            "CAMPAIGN": campaign.name,
            "YEAR": str(campaign.window.local(campaign.window.start).year),
        }
        if percent_off is not None:
            values["PERCENT"] = str(percent_off)
        base = rules.check(render_pattern(pattern, values), field="pattern")
        text = base
        for _ in range(20):
            if not uow.promo_codes.exists(promo_code_id(participation.brand_id, text)):
                return text
            text = rules.check(f"{base}{random_suffix()}", field="pattern")
        raise ValidationError("pattern", pattern, "gives codes that are all taken")

    def list(self, actor: Principal, campaign_id: str) -> builtins.list[PromoCode]:
        """The promo codes of a campaign."""
        with self._read() as uow:
            codes = uow.promo_codes.find(campaign_id=campaign_id)
            return _readable(self, uow, actor, campaign_id, codes)

    def lookup(self, actor: Principal, brand_id: str, code: str) -> PromoCode | None:
        """The brand's promo code ``code`` (any case), if it exists."""
        wanted = promo_code_id(brand_id, code)
        with self._read() as uow:
            if not uow.promo_codes.exists(wanted):
                return None
            promo = uow.promo_codes.get(wanted)
            participation = uow.participations.get(promo.participation_id)
            self._check(actor, Permission.SALES_READ, participation_resource(participation, "code"))
            return promo
