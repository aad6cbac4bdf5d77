"""The reference web host of examples/fastapi_host, driven through FastAPI's test client."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from fastapi.testclient import TestClient

import influcampaign as ic
from influcampaign.adapters.shopify import ShopifyShop
from tests.conftest import store_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from fastapi_host.app import create_app
from fastapi_host.workers import outbox_tick, scheduler_tick

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Paris")
BRAND = {"X-User": "u_claire", "X-Brand": "acme", "X-Role": "manager"}
SECRET = b"shop-secret-for-the-host-tests"  # at least 16 bytes, as shops require
SHOP = "acme.myshopify.com"
KEYS = ic.SigningKeys({"k1": b"k" * 32}, current="k1")


class Host:
    """The app, its clock and its test client."""

    def __init__(self, client: TestClient, clock: ic.FrozenClock) -> None:
        self.client = client
        self.clock = clock

    @property
    def ws(self) -> ic.Workspace:
        """The app's workspace."""
        ws: ic.Workspace = self.client.app.state.ws  # type: ignore[attr-defined]
        return ws

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        """POST as the brand's manager (unless other headers are given); the JSON answer."""
        response = self.client.post(path, json=body or {}, headers=headers or BRAND)
        assert response.status_code < 300, response.text
        return response.json()

    def creator_with_offer(self) -> tuple[str, str, str]:
        """A creator (French) accepted on an open offer: (creator id, offer id, participation id)."""
        creator = self.post(
            "/creators", {"display_name": "Léa", "followers": 12000, "language": "fr"}
        )
        offer = self.post(
            "/offers",
            {
                "brand_id": "acme",
                "name": "Printemps",
                "start": "2026-03-09T00:00:00+01:00",
                "end": "2026-05-31T00:00:00+02:00",
                "product_value": "39.90",
            },
        )
        application = self.post(
            f"/offers/{offer['id']}/applications",
            {"creator_id": creator["id"], "pitch": "J'adore"},
            headers={"X-Creator": creator["id"]},
        )
        participation = self.post(
            f"/applications/{application['id']}/accept", {"message": "Bienvenue !"}
        )
        return creator["id"], offer["id"], participation["id"]


@pytest.fixture(params=["sqlite", "postgresql"])
def host(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Host]:
    """The reference host on an SQLite file, then on PostgreSQL (the same app, another URL),
    with signing keys and one connected shop."""
    clock = ic.FrozenClock(T0)
    url = store_url(str(request.param), tmp_path)
    assert url is not None
    app = create_app(
        url,
        clock=clock,
        keys=KEYS,
        shops={SHOP: ShopifyShop("acme", (SECRET,))},
    )
    with TestClient(app) as client:
        yield Host(client, clock)
    app.state.ws.close()


def _webhook(
    topic: str, payload: dict[str, Any], secret: bytes = SECRET
) -> tuple[dict[str, str], bytes]:
    body = json.dumps(payload).encode()
    signature = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
    headers = {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": signature,
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Event-Id": f"evt-{payload['id']}",
        "Content-Type": "application/json",
    }
    return headers, body


class TestCampaignRoutes:
    """The routes carry a campaign from the offer to the order, in JSON from the converter."""

    def test_offer_application_template_and_thread(self, host: Host) -> None:
        """A creator applies, the brand accepts with a template, and the thread holds its text."""
        creator = host.post("/creators", {"display_name": "Hugo", "followers": 46000})
        offer = host.post(
            "/offers",
            {
                "brand_id": "acme",
                "name": "Spring",
                "start": "2026-03-09T00:00:00+01:00",
                "end": "2026-05-31T00:00:00+02:00",
                "fee": "300",
            },
        )
        assert offer["status"] == "open"
        assert offer["compensation"]["fee"] == {"amount": "300.00", "currency": "EUR"}
        template = host.post(
            "/templates",
            {
                "brand_id": "acme",
                "kind": "acceptance",
                "name": "welcome",
                "body": "Welcome {creator_name} to {campaign_name}!",
            },
        )
        application = host.post(
            f"/offers/{offer['id']}/applications",
            {"creator_id": creator["id"]},
            headers={"X-Creator": creator["id"]},
        )
        participation = host.post(
            f"/applications/{application['id']}/accept", {"template_id": template["id"]}
        )
        thread = host.client.get(
            f"/participations/{participation['id']}/messages", headers={"X-Creator": creator["id"]}
        ).json()
        assert [m["body"] for m in thread] == ["Welcome Hugo to Spring!"]

    def test_parcel_reminders_link_order_and_validation(self, host: Host) -> None:
        """Ship, deliver, remind (scheduler), click the tracked link, receive the order by
        webhook, submit and validate: every step through the HTTP routes and the workers."""
        creator, offer, participation = host.creator_with_offer()
        shipment = host.post(
            f"/participations/{participation}/shipments",
            [{"product": "Tisane", "quantity": 2, "unit_value": "19.95"}],
        )
        host.post(f"/shipments/{shipment['id']}/ship", {"carrier": "Colissimo"})
        delivered = host.post(f"/shipments/{shipment['id']}/deliver")
        assert delivered["status"] == "delivered"
        host.clock.advance(pendulum.duration(days=30))
        assert scheduler_tick(host.ws).done >= 1
        thread = host.client.get(f"/participations/{participation}/messages", headers=BRAND).json()
        assert len(thread) >= 3  # welcome, shipped, at least one reminder

        link = host.post(
            f"/participations/{participation}/links", {"landing_url": "https://shop.example/"}
        )
        visit = host.client.get(
            f"/r/{link['slug']}",
            headers={"User-Agent": "Mozilla/5.0 (iPhone)", "X-Forwarded-For": "203.0.113.9"},
            follow_redirects=False,
        )
        assert visit.status_code == 302
        token = visit.headers["location"].split("icclid=")[1]
        order = {
            "id": 1001,
            "name": "#1001",
            "created_at": host.clock.now().isoformat(),
            "currency": "EUR",
            "subtotal_price": "50.00",
            "total_price": "55.00",
            "note_attributes": [{"name": "icclid", "value": token}],
        }
        headers, body = _webhook("orders/create", order)
        answer = host.client.post("/webhooks/shopify", content=body, headers=headers)
        assert answer.status_code == 200, answer.text
        orders = host.client.get(
            "/brands/acme/orders", params={"campaign_id": offer}, headers=BRAND
        ).json()
        assert [(o["external_id"], o["participation_id"]) for o in orders] == [
            ("1001", participation)
        ]

        submission = host.post(
            f"/participations/{participation}/submissions",
            {
                "url": "https://instagram.com/p/abc",
                "platform": "instagram",
                "format": "reel",
                "published_at": host.clock.now().isoformat(),
                "caption": "Ma tisane #ad",
            },
            headers={"X-Creator": creator},
        )
        validated = host.post(f"/submissions/{submission['id']}/validate", {"compliance": 90})
        assert [v["compliance"] for v in validated["validations"]] == [90]

        sent: list[ic.OutboxMessage] = []
        assert outbox_tick(host.ws.store, sent.append, batch=1000) == len(sent) > 10
        assert host.ws.store.outbox.pending() == []
        assert len({m.id for m in sent}) == len(sent)


class TestErrors:
    """SDK errors become the HTTP statuses of ic.http_status, with their structured fields."""

    def test_unknown_id_is_404(self, host: Host) -> None:
        """A missing offer is a 404 naming the kind and the id."""
        response = host.client.get("/offers/cmp_nope", headers=BRAND)
        assert response.status_code == 404
        assert response.json() | {"detail": ""} == {
            "error": "NotFound",
            "detail": "",
            "kind": "campaign",
            "id": "cmp_nope",
        }

    def test_bad_value_is_422_naming_the_field(self, host: Host) -> None:
        """A negative follower count is refused by the SDK, which names the field and the value."""
        response = host.client.post(
            "/creators", json={"display_name": "X", "followers": -5}, headers=BRAND
        )
        assert response.status_code == 422
        assert response.json()["field"] == "followers"
        assert response.json()["value"] == "-5"

    def test_permission_and_principal(self, host: Host) -> None:
        """No principal is a 401; a creator creating an offer is a 403."""
        assert host.client.post("/creators", json={"display_name": "X"}).status_code == 401
        response = host.client.post(
            "/templates",
            json={"brand_id": "acme", "kind": "acceptance", "name": "n", "body": "Hi"},
            headers={"X-Creator": "cre_1"},
        )
        assert response.status_code == 403
        assert response.json()["error"] == "PermissionDenied"

    def test_invalid_transition_is_409(self, host: Host) -> None:
        """Delivering a parcel that was never shipped is a 409."""
        _, _, participation = host.creator_with_offer()
        shipment = host.post(
            f"/participations/{participation}/shipments",
            [{"product": "Tisane", "unit_value": "19.95"}],
        )
        response = host.client.post(f"/shipments/{shipment['id']}/deliver", headers=BRAND)
        assert response.status_code == 409
        assert response.json()["error"] == "InvalidTransition"

    def test_forged_webhook_is_401_with_its_typed_error(self, host: Host) -> None:
        """A webhook signed with another secret is refused before parsing, as a SignatureError."""
        headers, body = _webhook("orders/create", {"id": 7}, secret=b"wrong")
        response = host.client.post("/webhooks/shopify", content=body, headers=headers)
        assert response.status_code == 401
        assert response.json()["error"] == "SignatureError"

    def test_unsigned_link_creation_needs_keys_503(self, tmp_path: Path) -> None:
        """A host without signing keys answers 503 (configuration) to a tracked-link request."""
        app = create_app(f"sqlite:///{tmp_path / 'nokeys.db'}", clock=ic.FrozenClock(T0))
        with TestClient(app) as client:
            response = client.post(
                "/participations/par_x/links",
                json={"landing_url": "https://x.example/"},
                headers=BRAND,
            )
        app.state.ws.close()
        assert response.status_code == 503
        assert response.json()["error"] == "ConfigurationError"


class TestTransactions:
    """One transaction per request."""

    def test_a_failing_request_keeps_nothing(self, host: Host) -> None:
        """A route that writes and then fails leaves no trace: its writes roll back."""
        from fastapi_host.app import Actor, Tx

        app = host.client.app

        @app.post("/register-then-fail")  # type: ignore[attr-defined, untyped-decorator]
        def register_then_fail(tx: Tx, me: Actor) -> None:
            tx.creators.register(me, "Ghost")
            raise ic.ValidationError("after", "x", "fails after a write")

        response = host.client.post("/register-then-fail", headers=BRAND)
        assert response.status_code == 422
        with host.ws.store.unit_of_work(read_only=True) as uow:
            assert uow.creators.find() == []
        assert host.ws.store.outbox.pending() == []
