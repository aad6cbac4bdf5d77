"""Hypothesis strategies for the raw text that comes from outside: captions as creators write
them, client addresses as web frameworks hand them over, user agents of people and robots.

Re-exported by :mod:`influcampaign.testing.strategies`.
"""

from __future__ import annotations

from hypothesis import strategies as st

__all__ = ["PERSON_AGENTS", "ROBOT_AGENTS", "captions", "user_agents", "visitor_addresses"]

_CAPTION_PARTS = (
    "Ma routine du soir",
    "Loving this",
    "#ad",
    "#sp",
    "Publicité",
    "Collaboration commerciale",
    "#sponsored",
    "Paid partnership",
    "#gifted",
    "thanks @brand",
    "✹",
    "🌿",
    "#skincare",
    "#glow",
    "code",
    "lien en bio",
    "Image retouchée",
)


def captions(
    hashtags: tuple[str, ...] = ("#SpringGlow",), mentions: tuple[str, ...] = ("@acme",)
) -> st.SearchStrategy[str]:
    """Captions that may carry the campaign's ``hashtags`` and ``mentions`` (in any case,
    glued or not), disclosure labels of several jurisdictions, emoji and free text."""
    brief = [*hashtags, *mentions]
    piece = st.one_of(
        st.sampled_from(_CAPTION_PARTS),
        st.sampled_from(brief).map(str.upper) if brief else st.nothing(),
        st.sampled_from(brief) if brief else st.nothing(),
        st.text(max_size=12),
    )
    return st.lists(piece, max_size=8).flatmap(
        lambda parts: st.sampled_from([" ", "", "\n"]).map(lambda sep: sep.join(parts))
    )


def visitor_addresses() -> st.SearchStrategy[str]:
    """What a web framework hands over as a client address: IPv4 and IPv6 addresses, and
    the values that are not one ("testclient", "", an ``X-Forwarded-For`` list)."""
    return st.one_of(
        st.sampled_from(
            ["203.0.113.7", "198.51.100.23", "2001:db8::1", " 203.0.113.7 ", "::ffff:203.0.113.9"]
        ),
        st.sampled_from(["testclient", "", "203.0.113.7, 10.0.0.1", "unknown", "999.1.1.1"]),
        st.ip_addresses().map(str),
    )


PERSON_AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Instagram",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
)
"""User agents of people (phones and desktop browsers)."""

ROBOT_AGENTS = (
    "WhatsApp/2.24.6.77 A",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "",
)
"""User agents of robots and link-preview fetchers (and an empty one)."""


def user_agents() -> st.SearchStrategy[str]:
    """User agents of people and of robots (see :data:`PERSON_AGENTS`, :data:`ROBOT_AGENTS`)."""
    return st.sampled_from(PERSON_AGENTS + ROBOT_AGENTS)
