"""Which captured post belongs to which campaign, and to whom: a participating creator's post
carrying the campaign's markers is theirs; anyone else's is an earned mention."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from influcampaign.domain.campaign import Campaign, DateWindow
from influcampaign.domain.capture import CapturedPost, normalise_handle
from influcampaign.domain.creator import Creator, Platform
from influcampaign.domain.participation import Participation
from influcampaign.errors import ValidationError
from influcampaign.rules.brief.scan import CAPTION, Label, Scanner, fold

__all__ = ["CampaignWatch", "PostMatch"]

_SCANNER = Scanner.of(())


@attrs.frozen
class PostMatch:
    """Where a post goes: to a participation (``participation_id``), or, when None, to the
    campaign's earned mentions; ``matched`` lists the markers it carries."""

    campaign_id: str
    participation_id: str | None
    matched: tuple[str, ...]

    @property
    def earned(self) -> bool:
        """Whether the post is by someone outside the campaign."""
        return self.participation_id is None


@attrs.frozen
class CampaignWatch:
    """What capture looks for in one campaign: its dates, hashtags and mentions, and for each
    active participation the creator's handles, promo codes and tracked links' slugs."""

    campaign_id: str
    window: DateWindow
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    handles: Mapping[tuple[Platform, str], str]  # (platform, folded handle) → participation
    codes: Mapping[str, tuple[str, ...]] = attrs.Factory(dict)  # participation → codes
    slugs: Mapping[str, tuple[str, ...]] = attrs.Factory(dict)  # participation → link slugs

    @classmethod
    def of(
        cls,
        campaign: Campaign,
        participations: Iterable[tuple[Participation, Creator]],
        *,
        codes: Mapping[str, Iterable[str]] | None = None,
        slugs: Mapping[str, Iterable[str]] | None = None,
    ) -> CampaignWatch:
        """The watch of ``campaign`` over its active ``participations`` (with their creators);
        a handle that is not a platform handle (a blog's address) is not matched."""
        handles: dict[tuple[Platform, str], str] = {}
        for participation, creator in participations:
            if not participation.is_active:
                continue
            for platform, handle in creator.handles.items():
                try:
                    handles[(platform, normalise_handle(handle))] = participation.id
                except ValidationError:
                    continue
        return cls(
            campaign.id,
            campaign.window,
            campaign.hashtags,
            campaign.mentions,
            handles,
            {k: tuple(v) for k, v in (codes or {}).items()},
            {k: tuple(v) for k, v in (slugs or {}).items()},
        )

    def match(self, post: CapturedPost) -> PostMatch | None:
        """The post's place in this campaign, or None: published outside its dates, or
        carrying none of its markers. A post is credited to a creator only when its author is
        that creator's handle on the post's platform; never otherwise."""
        if not self.window.contains(post.published_at):
            return None
        scan = _SCANNER.scan(post.caption, CAPTION)
        owner = self.handles.get((post.platform, post.author))
        found = [h for h in self.hashtags if Label.of(h).key in scan.tags]
        found += [m for m in self.mentions if Label.of(m.removeprefix("@")).key in scan.mentions]
        for participation_id, codes in sorted(self.codes.items()):
            if owner is None or participation_id == owner:
                found += [c for c in codes if c.strip() and scan.has_word(fold(c.strip()))]
        for participation_id, slugs in sorted(self.slugs.items()):
            if owner is None or participation_id == owner:
                found += [s for s in slugs if s and fold(s) in scan.text]
        if not found:
            return None
        return PostMatch(self.campaign_id, owner, tuple(dict.fromkeys(found)))
