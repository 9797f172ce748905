"""Webhooks go only to public addresses (or a firm's own allowed hosts), at registration and
again at each delivery, on the address really connected to."""

from __future__ import annotations

import dataclasses
import ssl

import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.webhooks.addresses import AddressPolicy, AddressRefused
from service.webhooks.transport import guarded_transport
from tests.conftest import app_for, bearer
from tests.webhooks.receiver import Receiver

# Every address of the issue, and a few more ways of writing them.
INTERNAL = [
    "127.0.0.1",
    "localhost",
    "127.1",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "0.0.0.0",
    "169.254.169.254",
    "metadata.google.internal",
    "10.0.0.1",
    "192.168.1.1:8080",
    "172.16.0.1",
    "100.64.0.1",
    "224.0.0.1",
    "240.0.0.1",
    "printer.local",
    "app.localhost",
]


@pytest.fixture
async def strict_client(settings, admin_key):
    """A client of the app as configured by default (no host allowed beyond the public ones):
    the suite's app of these settings, built once per process (building one took 0.4 s of
    each of these 36 tests' setup)."""
    async with AsyncTestClient(app=app_for(settings)) as client:
        client.headers.update(bearer(admin_key))
        yield client


class TestRegistration:
    @pytest.mark.parametrize("host", INTERNAL)
    async def test_internal_hosts_are_refused_naming_url(self, strict_client, host):
        response = await strict_client.post(
            "/api/webhooks", json={"url": f"http://{host}/hook", "events": ["session.completed"]}
        )
        assert response.status_code == 422, response.text
        (error,) = response.json()["errors"]
        assert error["path"] == "url"
        assert error["code"] == "url.internal"
        assert (await strict_client.get("/api/webhooks")).json() == []

    async def test_a_public_address_and_an_unresolved_name_are_taken(self, strict_client):
        for url in ("https://93.184.215.14/hook", "https://portal.firm.example/hook"):
            response = await strict_client.post(
                "/api/webhooks", json={"url": url, "events": ["session.completed"]}
            )
            assert response.status_code == 201, response.text

    async def test_a_firm_may_allow_its_own_hosts_and_networks(self, settings, admin_key):
        allowed = dataclasses.replace(
            settings, webhook_allowed_hosts="10.20.0.0/16, portal.firm.internal"
        )
        async with AsyncTestClient(app=create_app(allowed, configure_logs=False)) as client:
            client.headers.update(bearer(admin_key))
            for url in ("http://10.20.3.4:8080/hook", "https://portal.firm.internal/hook"):
                assert (
                    await client.post(
                        "/api/webhooks", json={"url": url, "events": ["session.completed"]}
                    )
                ).status_code == 201
            refused = await client.post(
                "/api/webhooks",
                json={"url": "http://10.21.0.1/hook", "events": ["session.completed"]},
            )
            assert refused.status_code == 422


class TestAddressPolicy:
    def test_the_setting_refuses_what_it_cannot_read(self):
        with pytest.raises(ValueError, match="WEBHOOK_ALLOWED_HOSTS"):
            AddressPolicy.parse("portal.firm.internal, http://x/")

    async def test_a_name_that_resolves_inside_is_refused_at_delivery(self, monkeypatch):
        # DNS rebinding: a name that was public at registration resolves to loopback later.
        import anyio

        async def rebound(host, port, **kwargs):
            return [(2, 1, 6, "", ("127.0.0.1", port))]

        monkeypatch.setattr(anyio, "getaddrinfo", rebound)
        with pytest.raises(AddressRefused):
            await AddressPolicy().resolve("portal.firm.example", 443)

    def test_transports_share_one_context_that_verifies_certificates_and_names(self):
        # Made once per process (loading the CA bundle is slow), never a lax one.
        first, second = guarded_transport(AddressPolicy()), guarded_transport(AddressPolicy())
        context = first._pool._ssl_context
        assert context is second._pool._ssl_context
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


class TestDelivery:
    async def test_a_delivery_to_a_name_now_resolving_to_loopback_never_arrives(
        self, settings, admin_key, make_key, solar_answers, monkeypatch
    ):
        """Registered while it resolved elsewhere, the name now points at a receiver on
        127.0.0.1: the delivery is refused at connection, and logged as unreachable."""
        import anyio

        from tests.webhooks.test_delivery import settled

        receiver = Receiver().start()
        port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
        real = anyio.getaddrinfo

        async def resolve(host, port_, **kwargs):
            if host == "portal.firm.example":
                return [(2, 1, 6, "", ("127.0.0.1", port_))]
            return await real(host, port_, **kwargs)

        quick = dataclasses.replace(settings, webhook_backoff_ms=50, webhook_max_attempts=2)
        try:
            async with AsyncTestClient(app=create_app(quick, configure_logs=False)) as client:
                key = await make_key(scopes="read,write")
                url = f"http://portal.firm.example:{port}/hook"
                hook = (
                    await client.post(
                        "/api/webhooks",
                        json={"url": url, "events": ["session.completed"]},
                        headers=bearer(key),
                    )
                ).json()
                monkeypatch.setattr(anyio, "getaddrinfo", resolve)
                await client.post(
                    "/api/sessions",
                    json={"pack": "adcvd-petition", "answers": solar_answers},
                    headers=bearer(key),
                )
                (delivery,) = await settled(client, key, hook["id"], 1)
        finally:
            receiver.stop()
        assert delivery["status"] == "failed"
        assert [a["outcome"] for a in delivery["attempt_log"]] == ["unreachable", "unreachable"]
        assert receiver.received == []
