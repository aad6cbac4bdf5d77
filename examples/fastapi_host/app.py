"""A small FastAPI application embedding the SDK: the reference for a backend developer.

What it shows, each in one place:

- **one Workspace per process**, on SQLite by default (``sqlite:///campaigns.db``) or
  PostgreSQL by URL, migrated at start-up (:func:`create_app`);
- **a transaction per request**: the :func:`transaction` dependency opens
  ``ws.atomic()``; the request's use cases commit together, or not at all if it fails;
- **the acting principal from the request** (:func:`principal`): here from headers, in a
  real host from your session or token;
- **errors → HTTP statuses** with ``ic.http_status`` and the error's structured attributes;
- **JSON through the SDK's converter** (:func:`as_json`), never a hand-written mapping;
- the routes of a campaign: creators, offers, applications with templates, shipments, tracked
  links and their redirect, the Shopify webhook, submissions and validation, orders.

The scheduler and the outbox relay run beside it, as workers (``workers.py``).

Run it with ``uvicorn fastapi_host.app:app`` from ``examples/`` (uvicorn is not a dependency).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

import influcampaign as ic
from influcampaign.adapters.shopify import ShopifyShop, ShopifyWebhooks

CONVERTER = ic.make_converter()


def as_json(value: Any, status: int = 200) -> JSONResponse:
    """Any SDK object (or list of them) as JSON, through the SDK's one converter."""
    return JSONResponse(CONVERTER.unstructure(value), status_code=status)


def error_body(error: ic.InflucampaignError) -> dict[str, Any]:
    """An SDK error as JSON: its class, its message and its structured attributes
    (``field``/``value``/``reason``, ``kind``/``id``, ``state``/``action``, …)."""
    body: dict[str, Any] = {"error": type(error).__name__, "detail": str(error)}
    for name in ("field", "reason", "kind", "id", "state", "action", "detail", "what"):
        value = getattr(error, name, None)
        if isinstance(value, str) and name not in body:
            body[name] = value
    value = getattr(error, "value", None)
    if value is not None:
        body["value"] = repr(value)[:80]
    return body


# -- the application -------------------------------------------------------------------------


def create_app(
    url: str = "sqlite:///campaigns.db",
    *,
    clock: ic.Clock | None = None,
    keys: ic.SigningKeys | None = None,
    shops: Mapping[str, ShopifyShop] | None = None,
) -> FastAPI:
    """The application over the store at ``url`` (migrated now, at start-up)."""
    app = FastAPI(title="influcampaign reference host")
    ws = ic.open(url, clock=clock, keys=keys)
    app.state.ws = ws
    app.state.webhooks = ShopifyWebhooks(ws, shops or {})

    @app.exception_handler(ic.InflucampaignError)
    def sdk_error(request: Request, error: ic.InflucampaignError) -> JSONResponse:
        status = ic.http_status(error)
        headers = {"Retry-After": "1"} if status == 503 else None
        return JSONResponse(error_body(error), status_code=status, headers=headers)

    _routes(app)
    return app


def transaction(request: Request) -> Iterator[ic.Workspace]:
    """One transaction per request: the use cases of a request commit together when it
    succeeds; if it raises, nothing of it is kept."""
    ws: ic.Workspace = request.app.state.ws
    with ws.atomic() as tx:
        yield tx


def principal(
    x_user: Annotated[str | None, Header()] = None,
    x_brand: Annotated[str | None, Header()] = None,
    x_role: Annotated[str, Header()] = "manager",
    x_creator: Annotated[str | None, Header()] = None,
) -> ic.Principal:
    """Who acts, from the request. A stand-in for your authentication: map your session
    or token to an ``ic.BrandMember``, ``ic.ClientReviewer`` or ``ic.CreatorUser``."""
    if x_creator:
        return ic.CreatorUser(x_creator)
    if x_user and x_brand:
        return ic.BrandMember(x_user, brand_id=x_brand, role=x_role)
    raise HTTPException(401, "say who you are: X-User and X-Brand, or X-Creator")


Tx = Annotated[ic.Workspace, Depends(transaction)]
Actor = Annotated[ic.Principal, Depends(principal)]


# -- request bodies (shapes only: the SDK checks the values and names the bad field) --------


class CreatorIn(BaseModel):
    display_name: str
    platform: str = "instagram"
    followers: int = 0
    language: str | None = None


class OfferIn(BaseModel):
    brand_id: str
    name: str
    kind: str = "seeding"
    start: dt.datetime
    end: dt.datetime
    timezone: str = "Europe/Paris"
    product_value: str | None = None
    fee: str | None = None
    currency: str = "EUR"
    hashtags: list[str] = []


class TemplateIn(BaseModel):
    brand_id: str
    kind: str
    name: str
    body: str


class ApplicationIn(BaseModel):
    creator_id: str
    pitch: str = ""


class DecisionIn(BaseModel):
    message: str | None = None
    template_id: str | None = None


class ItemIn(BaseModel):
    product: str
    quantity: int = 1
    unit_value: str
    currency: str = "EUR"


class ShipIn(BaseModel):
    carrier: str
    tracking_url: str | None = None


class LinkIn(BaseModel):
    landing_url: str


class SubmissionIn(BaseModel):
    url: str
    platform: str
    format: str
    published_at: dt.datetime
    caption: str = ""


class ValidationIn(BaseModel):
    compliance: int
    feedback: str = ""


def _money(amount: str | None, currency: str) -> ic.Money | None:
    return None if amount is None else ic.Money.of(amount, currency)


def _routes(app: FastAPI) -> None:
    @app.post("/creators", status_code=201)
    def register_creator(body: CreatorIn, tx: Tx, me: Actor) -> JSONResponse:
        creator = tx.creators.register(
            me,
            body.display_name,
            audience={body.platform: ic.AudienceStats(followers=body.followers)},
            language=body.language,
        )
        return as_json(creator, 201)

    @app.post("/offers", status_code=201)
    def create_offer(body: OfferIn, tx: Tx, me: Actor) -> JSONResponse:
        offer = tx.campaigns.create(
            me,
            brand_id=body.brand_id,
            name=body.name,
            kind=body.kind,
            mode="marketplace",
            start=body.start,
            end=body.end,
            timezone=body.timezone,
            hashtags=body.hashtags,
            compensation=ic.Compensation(
                product_value=_money(body.product_value, body.currency),
                fee=_money(body.fee, body.currency),
            ),
        )
        return as_json(tx.campaigns.open(me, offer.id), 201)

    @app.get("/offers/{campaign_id}")
    def get_offer(campaign_id: str, tx: Tx, me: Actor) -> JSONResponse:
        return as_json(tx.campaigns.get(me, campaign_id))

    @app.post("/templates", status_code=201)
    def save_template(body: TemplateIn, tx: Tx, me: Actor) -> JSONResponse:
        template = tx.messages.save_template(
            me, brand_id=body.brand_id, kind=body.kind, name=body.name, body=body.body
        )
        return as_json(template, 201)

    @app.post("/offers/{campaign_id}/applications", status_code=201)
    def apply(campaign_id: str, body: ApplicationIn, tx: Tx, me: Actor) -> JSONResponse:
        application = tx.applications.apply(me, campaign_id, body.creator_id, pitch=body.pitch)
        return as_json(application, 201)

    @app.get("/offers/{campaign_id}/applications")
    def applications(campaign_id: str, tx: Tx, me: Actor) -> JSONResponse:
        return as_json(tx.applications.list(me, campaign_id))

    @app.post("/applications/{application_id}/accept")
    def accept(application_id: str, body: DecisionIn, tx: Tx, me: Actor) -> JSONResponse:
        participation = tx.applications.accept(
            me, application_id, message=body.message, template_id=body.template_id
        )
        return as_json(participation)

    @app.post("/applications/{application_id}/refuse")
    def refuse(application_id: str, body: DecisionIn, tx: Tx, me: Actor) -> JSONResponse:
        application = tx.applications.refuse(
            me, application_id, message=body.message, template_id=body.template_id
        )
        return as_json(application)

    @app.get("/participations/{participation_id}/messages")
    def thread(participation_id: str, tx: Tx, me: Actor) -> JSONResponse:
        return as_json(tx.messages.thread(me, participation_id))

    @app.post("/participations/{participation_id}/shipments", status_code=201)
    def prepare(participation_id: str, items: list[ItemIn], tx: Tx, me: Actor) -> JSONResponse:
        parcel = [
            ic.ShipmentItem(i.product, i.quantity, ic.Money.of(i.unit_value, i.currency))
            for i in items
        ]
        return as_json(tx.shipments.create(me, participation_id, parcel), 201)

    @app.post("/shipments/{shipment_id}/ship")
    def ship(shipment_id: str, body: ShipIn, tx: Tx, me: Actor) -> JSONResponse:
        shipment = tx.shipments.ship(
            me, shipment_id, carrier=body.carrier, tracking_url=body.tracking_url
        )
        return as_json(shipment)

    @app.post("/shipments/{shipment_id}/deliver")
    def deliver(shipment_id: str, tx: Tx, me: Actor) -> JSONResponse:
        return as_json(tx.shipments.deliver(me, shipment_id))

    @app.post("/participations/{participation_id}/links", status_code=201)
    def create_link(participation_id: str, body: LinkIn, tx: Tx, me: Actor) -> JSONResponse:
        link = tx.links.create(me, participation_id, landing_url=body.landing_url)
        return as_json(link, 201)

    @app.get("/r/{slug}")
    def redirect(
        slug: str,
        request: Request,
        tx: Tx,
        user_agent: Annotated[str, Header()] = "",
        x_forwarded_for: Annotated[str | None, Header()] = None,
    ) -> Response:
        # Behind a proxy you trust, X-Forwarded-For names the visitor; else the socket does.
        ip = x_forwarded_for or (request.client.host if request.client else "")
        outcome = tx.links.click(slug, ip=ip, user_agent=user_agent, method=request.method)
        return RedirectResponse(outcome.redirect_to, status_code=302)

    @app.post("/webhooks/shopify")
    async def shopify(request: Request) -> JSONResponse:
        # The raw body, as Shopify signed it: never a parsed-and-dumped copy.
        body = await request.body()
        hooks: ShopifyWebhooks = request.app.state.webhooks
        answer = hooks.handle(dict(request.headers), body)
        payload: dict[str, Any] = {"outcome": answer.outcome, "detail": answer.detail}
        if answer.error is not None:
            payload["error"] = type(answer.error).__name__
        return JSONResponse(payload, status_code=answer.status)

    @app.post("/participations/{participation_id}/submissions", status_code=201)
    def submit(participation_id: str, body: SubmissionIn, tx: Tx, me: Actor) -> JSONResponse:
        submission = tx.submissions.submit(
            me,
            participation_id,
            url=body.url,
            platform=body.platform,
            format=body.format,
            published_at=body.published_at,
            caption=body.caption,
        )
        return as_json(submission, 201)

    @app.post("/submissions/{submission_id}/validate")
    def validate(submission_id: str, body: ValidationIn, tx: Tx, me: Actor) -> JSONResponse:
        submission = tx.submissions.validate(
            me, submission_id, compliance=body.compliance, feedback=body.feedback
        )
        return as_json(submission)

    @app.get("/brands/{brand_id}/orders")
    def orders(brand_id: str, tx: Tx, me: Actor, campaign_id: str | None = None) -> JSONResponse:
        return as_json(tx.sales.orders(me, brand_id, campaign_id=campaign_id))

    @app.get("/offers/{campaign_id}/sales")
    def sales(campaign_id: str, tx: Tx, me: Actor) -> JSONResponse:
        return as_json(tx.sales.report(me, campaign_id).total)


def _from_environment() -> FastAPI:
    """The app as ``uvicorn fastapi_host.app:app`` serves it: its store from INFLUCAMPAIGN_URL."""
    return create_app(os.environ.get("INFLUCAMPAIGN_URL", "sqlite:///campaigns.db"))


def __getattr__(name: str) -> Any:
    # ``app`` is built on first use, so importing this module opens no database.
    if name == "app":
        return _from_environment()
    raise AttributeError(name)
