"""The rules of keys and sign-ins: create, list, revoke, and recognise a caller."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from functools import cached_property

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import tokens
from service.auth.identity import (
    PERSON_SCOPES,
    Identity,
    parse_scopes,
    parse_stored_scopes,
    scope_text,
)
from service.auth.models import ApiKey, SignIn
from service.auth.repository import ApiKeyRepository, SignInRepository
from service.storage.point_reads import KeyRow

log = structlog.get_logger(__name__)


# Any number of our own, the same in every process: pg_advisory_xact_lock's key for the first key.
_FIRST_KEY_LOCK = 7_245_001


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class KeyNotFound(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just made: ``secret`` is the only copy of the whole key, shown once."""

    row: ApiKey
    secret: str


class KeyService:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    # Made when first used (see SessionService): recognising a key needs only ``keys``.
    @cached_property
    def keys(self) -> ApiKeyRepository:
        return ApiKeyRepository(session=self.db, auto_commit=False)

    @cached_property
    def sign_ins(self) -> SignInRepository:
        return SignInRepository(session=self.db, auto_commit=False)

    async def create(
        self, name: str, scopes: str | frozenset[str], owner: str | None = None
    ) -> NewKey:
        """Raises UnknownScope for a scope that does not exist, ValueError for an empty name."""
        wanted = parse_scopes(scopes) if isinstance(scopes, str) else scopes
        name = name.strip()
        if not name or len(name) > 200:
            raise ValueError("a key needs a name of 1 to 200 characters")
        secret, key_id = tokens.new_key()
        owner = (owner or "").strip() or f"key:{key_id}"
        row = ApiKey(
            id=uuid.uuid4(),
            key_id=key_id,
            name=name,
            owner=owner[:200],
            scopes=scope_text(wanted),
            secret_hash=tokens.digest(secret),
        )
        self.db.add(row)
        await self.db.commit()
        log.info("auth.key.created", key_id=key_id, scopes=row.scopes)
        return NewKey(row=row, secret=secret)

    async def create_first_admin_key(self) -> NewKey | None:
        """An admin key when the database has no key at all (first start), else None.

        Servers started together on an empty database each ask; the check and the insert run
        under a lock of the database's own, so exactly one of them makes the key."""
        if self.db.get_bind().dialect.name == "postgresql":
            await self.db.execute(
                text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": _FIRST_KEY_LOCK}
            )
        else:
            # SQLite: a write statement (even one that changes nothing) takes the database's
            # write lock at once, so the count below is read after any other's insert.
            await self.db.execute(text("UPDATE api_key SET name = name WHERE 1 = 0"))
        if await self.keys.count_all():
            await self.db.rollback()
            return None
        return await self.create(
            "first admin key", frozenset({"read", "write", "generate", "admin"})
        )

    async def list(self) -> list[ApiKey]:
        return await self.keys.everything()

    async def revoke(self, key_id: str) -> ApiKey:
        """Raises KeyNotFound when no key has this id."""
        row = await self.keys.by_key_id(key_id.strip())
        if row is None:
            raise KeyNotFound(key_id)
        if await self.keys.revoke(row.key_id, _now()):
            await self.sign_ins.end_for_key(row.id)
            log.info("auth.key.revoked", key_id=row.key_id)
        await self.db.commit()
        await self.db.refresh(row)
        return row

    async def authenticate(self, secret: str) -> Identity | None:
        """The identity of a valid, unrevoked key; None for anything else."""
        row = await self._valid_key(secret)
        return key_identity(row, via="key") if row else None

    async def _valid_key(self, secret: str) -> ApiKey | None:
        key_id = tokens.key_id_of(secret)
        if key_id is None:
            return None
        row = await self.keys.by_key_id(key_id)
        if row is None or not is_valid(row.revoked_at is not None, row.secret_hash, secret):
            return None
        return row

    # -- the web form's own sign-in ----------------------------------------------------------

    async def sign_in(self, secret: str, hours: int) -> tuple[str, Identity] | None:
        """A new sign-in token for a valid key, or None. The token goes in a cookie."""
        row = await self._valid_key(secret)
        if row is None:
            return None
        token = tokens.new_sign_in_token()
        now = _now()
        await self.sign_ins.end_expired(now)
        self.db.add(
            SignIn(
                id=uuid.uuid4(),
                token_hash=tokens.digest(token),
                api_key_id=row.id,
                expires_at=now + dt.timedelta(hours=hours),
            )
        )
        await self.db.commit()
        log.info("auth.sign_in.started", key_id=row.key_id)
        return token, key_identity(row, via="sign-in")

    async def signed_in(self, token: str) -> Identity | None:
        found = await self.sign_ins.active(tokens.digest(token), _now())
        return key_identity(found[1], via="sign-in") if found else None

    async def sign_out(self, token: str) -> None:
        await self.sign_ins.end(tokens.digest(token))
        await self.db.commit()


def is_valid(revoked: bool, secret_hash: str, secret: str) -> bool:
    """Whether ``secret`` is the key stored as ``secret_hash``, and the key is not revoked."""
    return not revoked and tokens.matches(secret, secret_hash)


def key_identity(row: ApiKey | KeyRow, via: str = "key") -> Identity:
    """The caller a valid key stands for (check it first with ``is_valid``)."""
    return Identity(
        name=f"key:{row.key_id}",
        owner=row.owner,
        scopes=parse_stored_scopes(row.scopes),
        via=via,
        api_key_id=row.id,
        key_id=row.key_id,
        label=row.name,
    )


def proxy_identity(person: str) -> Identity:
    """A person named by the firm's proxy: owns their own sessions, cannot see others'."""
    return Identity(name=person, owner=person, scopes=PERSON_SCOPES, via="proxy")
