"""Chapter 3: a marketplace offer with message templates; creators apply, the brand decides."""

from __future__ import annotations

import pendulum

import influcampaign as ic
from influcampaign.demo._story import PARIS, Story

__all__ = ["open_offer"]


def open_offer(
    story: Story, creators: list[ic.Creator]
) -> tuple[ic.Campaign, list[ic.Participation]]:
    """Open an offer limited to three creators; four apply, two are accepted, one refused and
    one left waiting. Returns the offer and the two participations."""
    ws, clock, manager, say = story.ws, story.clock, story.manager, story.say
    templates: dict[str, str] = {}
    for kind, body in (
        ("acceptance", "Bonjour {creator_name}, bienvenue dans {campaign_name} ! {message}"),
        (
            "refusal",
            "Bonjour {creator_name}, merci pour votre candidature à {campaign_name}. {message}",
        ),
        ("shipping", "{creator_name}, votre colis {brand} part avec {carrier} : {tracking_url}"),
        ("reminder", "Petit rappel n°{reminder_number} de {brand} : on attend votre contenu !"),
    ):
        templates[kind] = ws.messages.save_template(
            manager, brand_id="maison-verte", kind=kind, name=kind.title(), body=body
        ).id
    offer = ws.campaigns.create(
        manager,
        brand_id="maison-verte",
        brand_name="Maison Verte",
        name="Kit potager (offre)",
        kind="product_placement",
        mode="marketplace",
        start=pendulum.datetime(2026, 3, 2, tz=PARIS),
        end=pendulum.datetime(2026, 5, 31, tz=PARIS),
        timezone=PARIS,
        hashtags=["#KitPotager"],
        mentions=["@maisonverte"],
        requirements=ic.BriefRequirements(jurisdiction="FR"),
        compensation=ic.Compensation(product_value=ic.Money.of("59.00", "EUR")),
        policies=ic.CampaignPolicies(
            applications=ic.ApplicationPolicy(max_accepted=3, pending_alert_days=2)
        ),
    )
    ws.campaigns.open(manager, offer.id)
    say("")
    say(f"Marketplace offer {offer.id} “{offer.name}”, open, at most 3 creators")
    applications = {}
    for creator, pitch in zip(
        creators[:4],
        (
            "Je cuisine de saison",
            "Je jardine en montagne",
            "Beauté naturelle",
            "Recettes du potager",
        ),
        strict=True,
    ):
        clock.advance(hours=5)
        applications[creator.id] = ws.applications.apply(
            ic.CreatorUser(creator.id), offer.id, creator.id, pitch=pitch
        )
    clock.advance(hours=20)
    accepted = [creators[0].id, creators[1].id]
    joined = ws.applications.accept_many(
        manager,
        [applications[c].id for c in accepted],
        template_id=templates["acceptance"],
        message="On vous envoie le kit cette semaine.",
    )
    ws.applications.refuse(
        manager,
        applications[creators[2].id].id,
        message="Votre univers beauté est superbe, mais hors cible pour ce kit.",
        reason="out_of_target",
    )
    for application in ws.applications.list(manager, offer.id):
        name = next(c.display_name for c in creators if c.id == application.creator_id)
        waited = application.waiting(clock.now())
        hours = waited.total_seconds() / 3600
        say(f"  {name:<14} {application.status.value:<9} after {hours:4.0f} h")
    stats = ws.applications.response_stats(manager, offer.id)
    median = stats.median_response.total_seconds() / 3600 if stats.median_response else 0
    say(f"  median response {median:.0f} h, {stats.pending} still pending")
    return offer, joined
