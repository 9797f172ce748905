"""The web form's own sign-in, used when no proxy names the person: a person signs in with a
personal key (``python -m service keys create --name "Ann Lee" --owner ann@firm.example
--scopes read,write,generate``); the browser then holds a sign-in cookie, never the key."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie, State
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.middleware import SIGN_IN_COOKIE, SIGN_IN_PATH, safe_next
from service.auth.service import KeyService

NextPath = Annotated[str | None, QueryParameter(name="next", max_length=2000)]


class SignInPages(Controller):
    path = "/"
    include_in_schema = False

    @get(SIGN_IN_PATH, name="auth.sign_in_form")
    async def sign_in_form(self, state: State, next_path: NextPath = None) -> Template | Redirect:
        if state.settings.auth_proxy_header:
            return Redirect("/", status_code=303)
        return _page(safe_next(next_path), message="")

    @post(SIGN_IN_PATH, name="auth.sign_in")
    async def sign_in(
        self, request: Request, state: State, db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        if state.settings.auth_proxy_header:
            return Redirect("/", status_code=303)
        form = await request.form()
        target = safe_next(str(form.get("next") or "/"))
        key = str(form.get("key") or "").strip()
        signed_in = (
            await KeyService(db_session).sign_in(key, state.settings.sign_in_hours)
            if len(key) <= 200
            else None
        )
        if signed_in is None:
            return _page(
                target,
                message="That key is not valid, or it was revoked. Check it and try again.",
                status_code=401,
            )
        token, _identity = signed_in
        cookie = Cookie(
            key=SIGN_IN_COOKIE,
            value=token,
            max_age=state.settings.sign_in_hours * 3600,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
        return Redirect(target, status_code=303, cookies=[cookie])

    @post("/sign-out", name="auth.sign_out")
    async def sign_out(
        self, request: Request, db_session: NamedDependency[AsyncSession]
    ) -> Redirect:
        token = request.cookies.get(SIGN_IN_COOKIE)
        if token and len(token) <= 100:
            await KeyService(db_session).sign_out(token)
        return Redirect(
            SIGN_IN_PATH,
            status_code=303,
            cookies=[
                Cookie(
                    key=SIGN_IN_COOKIE, value="", max_age=0, path="/", httponly=True, samesite="lax"
                )
            ],
        )


def _page(target: str, message: str, status_code: int = 200) -> Template:
    return Template(
        "sign_in.html",
        context={"title": "Sign in", "next_path": target, "message": message},
        status_code=status_code,
    )
