"""Chapter 1: creators are registered, grouped, and a gifted project campaign starts."""

from __future__ import annotations

from decimal import Decimal

import pendulum

import influcampaign as ic
from influcampaign.demo._story import Story

__all__ = ["register_creators", "start_project"]

_CREATORS = [
    # name, handles, followers, engagement, themes, country, language
    (
        "Léa Martin",
        {"instagram": "lea.cooks", "tiktok": "leacooks"},
        8_400,
        0.061,
        ["food", "zero waste"],
        "FR",
        "fr",
    ),
    (
        "Hugo Bernard",
        {"instagram": "hugo.trails"},
        46_000,
        0.038,
        ["outdoor", "travel"],
        "FR",
        "fr",
    ),
    (
        "Amélie Dubois",
        {"instagram": "amelie.glow", "youtube": "AmelieGlow"},
        180_000,
        0.024,
        ["beauty"],
        "BE",
        "fr",
    ),
    ("Sam Okafor", {"tiktok": "samtastes"}, 720_000, 0.052, ["food", "humour"], "GB", "en"),
    ("Noor Haddad", {"instagram": "noor.reads"}, 3_100, 0.094, ["books", "lifestyle"], "FR", "fr"),
]


def register_creators(story: Story) -> list[ic.Creator]:
    """Register five creators at once and show what an analyst may read of them."""
    ws, manager, say = story.ws, story.manager, story.say
    analyst = ic.BrandMember("u_tom", brand_id="maison-verte", role="analyst")
    say()
    say("Creators")
    creators: list[ic.Creator] = []
    with ws.atomic() as tx:
        for name, handles, followers, rate, themes, country, language in _CREATORS:
            platform = next(iter(handles))
            creators.append(
                tx.creators.register(
                    manager,
                    name,
                    handles=handles,
                    audience={
                        platform: ic.AudienceStats(followers=followers, engagement_rate=rate)
                    },
                    themes=themes,
                    country=country,
                    language=language,
                    contact=ic.ContactDetails(
                        email=f"{handles[platform]}@example.org",
                        legal_name=name,
                        postal_address=f"{len(creators) + 3} rue des Lilas, 75011 Paris",
                    ),
                    # Noor refused to share her audience: the overlap never reads it
                    audience_data="opted_out" if name == "Noor Haddad" else "shared",
                )
            )
    for creator in creators:
        shown = ", ".join(f"{p}:@{h}" for p, h in creator.handles.items())
        say(
            f"  {creator.id}  {creator.display_name:<14} {creator.tier().value:<6} "
            f"{creator.followers:>9,} followers  {shown}"
        )
    hidden = ws.creators.get(analyst, creators[0].id)
    say(f"  (an analyst reading {hidden.display_name} sees contact = {hidden.contact})")
    return creators


def start_project(story: Story, creators: list[ic.Creator]) -> ic.Campaign:
    """Group the food and outdoor creators and start a seeding project for that group."""
    ws, manager, say = story.ws, story.manager, story.say
    group = ws.groups.create(
        manager,
        brand_id="maison-verte",
        name="Spring food & outdoor",
        creator_ids=[c.id for c in creators if {"food", "outdoor"} & c.themes],
    )
    say()
    say(f"Group {group.id} “{group.name}”: {', '.join(group.creator_ids)}")

    campaign = ws.campaigns.create(
        manager,
        brand_id="maison-verte",
        name="Printemps au jardin",
        kind="seeding",
        mode="project",
        start=pendulum.datetime(2026, 3, 16, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 4, 30, 23, 59, tz="Europe/Paris"),
        timezone="Europe/Paris",
        hashtags=["#PrintempsAuJardin", "#MaisonVerte"],
        mentions=["@maisonverte"],
        summary="Launch of the seed kit; 5 creators, gifted only.",
        brief="Show the seed kit in use, tag @maisonverte, use #PrintempsAuJardin.",
        compensation=ic.Compensation(product_value=ic.Money.of(Decimal("39.90"), "EUR")),
        group_id=group.id,
    )
    ws.campaigns.start(manager, campaign.id)
    campaign = ws.campaigns.get(manager, campaign.id)
    window = campaign.window
    say()
    say(f"Campaign {campaign.id} “{campaign.name}” ({campaign.kind.value}, {campaign.mode.value})")
    say(f"  status     {campaign.status.value}")
    say(
        f"  window     {window.local(window.start).to_date_string()} → "
        f"{window.local(window.end).to_date_string()} ({window.timezone})"
    )
    say(f"  track      {' '.join(campaign.hashtags + campaign.mentions)}")
    say(f"  gift       {campaign.compensation.product_value}")
    return campaign
