"""Who is using the web pages: the person the firm's proxy names, or, without a proxy, a
person signed in with their personal key. Their sessions are theirs alone."""

import dataclasses
from urllib.parse import unquote

import pytest
from litestar.testing import AsyncTestClient
from lxml import html as lxml_html

from service.auth import tokens
from service.auth.middleware import SIGN_IN_COOKIE, safe_next
from tests.conftest import app_for, bearer

PROXY_HEADER = "X-Remote-User"


def csrf_of(page_text: str) -> str:
    return page_text.split('name="_csrf_token" value="')[1].split('"')[0]


async def sign_in(client, key: str, next_path: str = "/"):
    page = await client.get("/sign-in")
    assert page.status_code == 200
    return await client.post(
        "/sign-in",
        data={"key": key, "next": next_path, "_csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


@pytest.fixture
async def browser(client):
    """The suite's client as a browser: no Authorization header, cookies kept."""
    client.headers.pop("Authorization")
    return client


@pytest.fixture
async def proxied(settings, admin_key):
    app = app_for(dataclasses.replace(settings, auth_proxy_header=PROXY_HEADER))
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


class TestSignIn:
    async def test_a_page_sends_a_stranger_to_sign_in_and_back(self, browser, make_key):
        response = await browser.get(
            "/sessions/00000000-0000-0000-0000-000000000000/review?x=1", follow_redirects=False
        )
        assert response.status_code == 303
        location = response.headers["location"]
        assert location.startswith("/sign-in?next=")
        target = unquote(location.split("next=", 1)[1])
        assert target == "/sessions/00000000-0000-0000-0000-000000000000/review?x=1"

        key = await make_key("Ann Lee", scopes="read,write,generate", owner="ann@firm.example")
        signed = await sign_in(browser, key, target)
        assert signed.status_code == 303
        assert signed.headers["location"] == target
        cookie = signed.headers["set-cookie"]
        assert (
            f"{SIGN_IN_COOKIE}=" in cookie
            and "HttpOnly" in cookie
            and "SameSite=lax" in cookie.replace("Lax", "lax")
        )
        assert key not in cookie
        assert (await browser.get("/")).status_code == 200

    async def test_a_wrong_key_shows_the_form_again(self, browser):
        response = await sign_in(browser, "fa_0123456789ab_" + "A" * 43)
        assert response.status_code == 401
        assert "not valid" in response.text
        assert SIGN_IN_COOKIE not in response.headers.get("set-cookie", "")

    async def test_the_person_owns_what_they_start(self, browser, make_key, client, admin_key):
        ann = await make_key("Ann", scopes="read,write,generate", owner="ann@firm.example")
        bob = await make_key("Bob", scopes="read,write,generate", owner="bob@firm.example")
        await sign_in(browser, ann)
        index = await browser.get("/")
        started = await browser.post(
            "/sessions",
            data={"pack": "adcvd-petition", "_csrf_token": csrf_of(index.text)},
            follow_redirects=False,
        )
        assert started.status_code == 303
        session_id = started.headers["location"].split("/")[2]
        mine = await browser.get(f"/api/sessions/{session_id}", headers=bearer(ann))
        assert mine.status_code == 200
        assert (
            await browser.get(f"/api/sessions/{session_id}", headers=bearer(bob))
        ).status_code == 404
        browser.cookies.clear()
        await sign_in(browser, bob)
        assert (await browser.get(f"/sessions/{session_id}/review")).status_code == 404

    async def test_signing_out_or_revoking_the_key_ends_it(self, browser, make_key, database_url):
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        from service.auth.service import KeyService

        key = await make_key("Ann Lee", scopes="read,write")
        await sign_in(browser, key)
        index = await browser.get("/")
        assert index.status_code == 200
        # The header says who is signed in and offers the way out, as a form with its token.
        header = lxml_html.fromstring(index.text).xpath("//header")[0]
        assert "Signed in as Ann Lee" in header.text_content()
        sign_out = header.xpath(".//form[@action='/sign-out'][@method='post']")[0]
        assert sign_out.xpath(".//button")[0].text_content() == "Sign out"
        token = sign_out.xpath(".//input[@name='_csrf_token']")[0].get("value")
        out = await browser.post("/sign-out", data={"_csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303
        assert (await browser.get("/", follow_redirects=False)).status_code == 303

        await sign_in(browser, key)
        assert (await browser.get("/", follow_redirects=False)).status_code == 200
        engine = create_async_engine(database_url)
        async with AsyncSession(engine) as db:
            await KeyService(db).revoke(tokens.key_id_of(key))
        await engine.dispose()
        assert (await browser.get("/", follow_redirects=False)).status_code == 303

    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("/sessions/1", "/sessions/1"),
            ("//evil.example/x", "/"),
            ("https://evil.example", "/"),
            ("/\\evil.example", "/"),
            ("", "/"),
            (None, "/"),
        ],
    )
    def test_only_paths_of_this_site_are_followed(self, given, kept):
        assert safe_next(given) == kept


class TestProxyHeader:
    async def test_the_proxy_names_the_person(self, proxied, admin_key):
        index = await proxied.get("/", headers={PROXY_HEADER: "ann@firm.example"})
        assert index.status_code == 200
        header = lxml_html.fromstring(index.text).xpath("//header")[0]
        # Named by the proxy, signed out by the proxy: no button of ours would end it.
        assert "Signed in as ann@firm.example" in header.text_content()
        assert not header.xpath(".//form[@action='/sign-out']")
        started = await proxied.post(
            "/sessions",
            data={"pack": "adcvd-petition", "_csrf_token": csrf_of(index.text)},
            headers={PROXY_HEADER: "ann@firm.example"},
            follow_redirects=False,
        )
        assert started.status_code == 303
        session_id = started.headers["location"].split("/")[2]
        assert (
            await proxied.get(
                f"/sessions/{session_id}/review", headers={PROXY_HEADER: "ann@firm.example"}
            )
        ).status_code == 200
        assert (
            await proxied.get(
                f"/sessions/{session_id}/review", headers={PROXY_HEADER: "bob@firm.example"}
            )
        ).status_code == 404
        session = await proxied.get(f"/api/sessions/{session_id}", headers=bearer(admin_key))
        assert session.status_code == 200

    async def test_without_the_header_nobody_is_let_in(self, proxied):
        response = await proxied.get("/", follow_redirects=False)
        assert response.status_code == 401
        assert "proxy" in response.json()["detail"]

    async def test_the_header_does_not_open_the_api(self, proxied):
        response = await proxied.get("/api/sessions", headers={PROXY_HEADER: "ann@firm.example"})
        assert response.status_code == 401

    async def test_the_own_sign_in_is_off(self, proxied):
        assert (await proxied.get("/sign-in", follow_redirects=False)).headers["location"] == "/"
