"""Robots and link-preview fetchers, told apart by user agent.

:class:`KnownBots` uses the community-maintained list of crawler user agents
(github.com/monperrus/crawler-user-agents, the ``crawler-user-agents`` package of the
``tracking`` extra): search engines, SEO tools, monitoring, HTTP libraries, and the
link-preview fetchers of messaging apps (``facebookexternalhit``, ``WhatsApp``,
``Slackbot-LinkExpanding``, ``Twitterbot``, ``TelegramBot``, ``Discordbot`` ...), which
otherwise count a click each time a creator's link is pasted in a chat. A host adds its
own patterns with ``extra``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["KnownBots"]


class KnownBots:
    """A :class:`~influcampaign.ports.BotFilter` over the maintained crawler list."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        try:
            import crawleruseragents  # type: ignore[import-untyped]
        except ImportError as e:  # pragma: no cover - the extra is installed in the suite
            raise ImportError(
                "filtering robots needs the 'tracking' extra: pip install 'influcampaign[tracking]'"
            ) from e
        self._list: Any = crawleruseragents
        self._extra = [re.compile(p) for p in extra]
        self._empty = re.compile(r"\S")

    def bot_name(self, user_agent: str) -> str | None:
        """The matching pattern, ``"empty user agent"`` for none at all, or None (a person)."""
        if not isinstance(user_agent, str) or not self._empty.search(user_agent):
            return "empty user agent"
        for pattern in self._extra:
            if pattern.search(user_agent):
                return pattern.pattern
        if self._list.is_crawler(user_agent):
            found = self._list.matching_crawlers(user_agent)
            return str(self._list.CRAWLER_USER_AGENTS_DATA[found[0]]["pattern"]) if found else "bot"
        return None
