"""Browser hardening: security headers, forms from this site only, CSRF tokens bound to the
sign-in, Secure cookies behind https."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.auth.middleware import SIGN_IN_COOKIE
from tests.auth.test_web_identity import csrf_of, sign_in


@pytest.fixture
async def browser(client):
    client.headers.pop("Authorization")
    return client


async def signed_in_browser(settings, key: str, base_url: str = "http://testserver.local"):
    client = AsyncTestClient(app=create_app(settings, configure_logs=False), base_url=base_url)
    await client.__aenter__()
    response = await sign_in(client, key)
    assert response.status_code == 303, response.text
    return client


class TestSecurityHeaders:
    @pytest.mark.parametrize("path", ["/sign-in", "/healthz", "/api/packs"])
    async def test_every_response_carries_them(self, browser, path):
        response = await browser.get(path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"

    async def test_pages_hold_no_inline_script(self, browser, make_key):
        await sign_in(browser, await make_key(scopes="read,write,generate", owner="ann"))
        page = await browser.get("/")
        assert page.status_code == 200
        assert "<script>" not in page.text and " onclick=" not in page.text


class TestForms:
    async def test_a_form_from_another_site_is_refused(self, browser, make_key):
        await sign_in(browser, await make_key(scopes="read,write,generate", owner="ann"))
        index = await browser.get("/")
        token = csrf_of(index.text)
        for header in (
            {"Origin": "https://evil.example"},
            {"Referer": "https://evil.example/page"},
            {"Origin": "null"},
        ):
            refused = await browser.post(
                "/sessions",
                data={"pack": "adcvd-petition", "_csrf_token": token},
                headers=header,
                follow_redirects=False,
            )
            assert refused.status_code == 403, header
            assert "another site" in refused.text
        same = await browser.post(
            "/sessions",
            data={"pack": "adcvd-petition", "_csrf_token": token},
            headers={"Origin": "http://testserver.local"},
            follow_redirects=False,
        )
        assert same.status_code == 303
        assert (await browser.get("/")).text.count('href="/sessions/') >= 1

    async def test_a_token_pair_of_another_browser_does_not_pass_with_this_sign_in(
        self, settings, make_key
    ):
        victim = await signed_in_browser(
            settings, await make_key(scopes="read,write,generate", owner="ann")
        )
        attacker = await signed_in_browser(
            settings, await make_key(scopes="read,write,generate", owner="mallory")
        )
        try:
            attacker_token = csrf_of((await attacker.get("/")).text)
            attacker_cookie = attacker.cookies.get("filing_assembler_csrf")
            victim_token = csrf_of((await victim.get("/")).text)
            assert attacker_token != victim_token
            victim_sign_in = victim.cookies.get(SIGN_IN_COOKIE)
            forged = await attacker.post(
                "/sessions",
                data={"pack": "adcvd-petition", "_csrf_token": attacker_token},
                headers={
                    "Cookie": f"{SIGN_IN_COOKIE}={victim_sign_in}; filing_assembler_csrf={attacker_cookie}"
                },
                follow_redirects=False,
            )
            assert forged.status_code == 403
            # The victim's own page works again: it is handed its own token.
            token = csrf_of((await victim.get("/")).text)
            assert token == victim_token
            started = await victim.post(
                "/sessions",
                data={"pack": "adcvd-petition", "_csrf_token": token},
                follow_redirects=False,
            )
            assert started.status_code == 303
        finally:
            await victim.__aexit__(None, None, None)
            await attacker.__aexit__(None, None, None)

    async def test_every_cookie_is_secure_behind_https(self, settings, make_key):
        client = AsyncTestClient(
            app=create_app(settings, configure_logs=False), base_url="https://testserver.local"
        )
        async with client:
            page = await client.get("/sign-in")
            assert "secure" in page.headers["set-cookie"].lower()
            signed = await client.post(
                "/sign-in",
                data={
                    "key": await make_key(scopes="read,write", owner="ann"),
                    "next": "/",
                    "_csrf_token": csrf_of(page.text),
                },
                follow_redirects=False,
            )
            assert signed.status_code == 303
            cookies = signed.headers.get_list("set-cookie")
            assert cookies and all("secure" in c.lower() for c in cookies)
            index = await client.get("/")
            assert all("secure" in c.lower() for c in index.headers.get_list("set-cookie"))
