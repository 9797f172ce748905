"""A few asyncpg connections for the point reads and a PATCH's write, taken and given back in
microseconds.

asyncpg's ``Pool`` costs ~80 µs a query beyond the query itself (~30 µs on this machine): its
release runs in a task of its own (``asyncio.shield``), awaits a reset and goes through a
queue, about five turns of the event loop per query instead of two. The point reads run one
prepared SELECT at a time and leave nothing on a connection, so none of that is needed: an
idle connection is taken from a list, and given back to the longest waiter or to the list.

A connection whose query failed or was cancelled is in an unknown state and is dropped (the
next query opens another). ``close`` ends the connections of this start of the app; the next
query opens new ones (an app may be started again, on another event loop), and a connection
of before the close is dropped when it comes back.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Connections:
    def __init__(self, dsn: str, size: int) -> None:
        self.dsn = dsn
        self.size = max(1, size)
        self._idle: list[Any] = []
        # Connections of this generation: idle or in use, by id; and how many are opening.
        self._mine: set[int] = set()
        self._opening = 0
        # The queries waiting for a connection: given one, or None to try again (open one).
        self._waiting: collections.deque[asyncio.Future[Any]] = collections.deque()
        self._generation = 0

    @property
    def open(self) -> int:
        return len(self._mine) + self._opening

    @property
    def idle(self) -> int:
        return len(self._idle)

    async def fetchrow(self, statement: str, *params: Any) -> Any:
        return await self.run(lambda connection: connection.fetchrow(statement, *params))

    async def run(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """``work(connection)`` on a connection of its own; the connection is given back
        after, or dropped if ``work`` failed or was cancelled."""
        connection = await self._take()
        try:
            done = await work(connection)
        except BaseException as error:
            self._drop(connection)
            if type(error).__name__ == "InternalClientError" and connection.is_closed():
                import asyncpg

                # A connection the server had just ended: asyncpg says so this way about one
                # time in four (else ConnectionDoesNotExistError); callers know a closed one.
                raise asyncpg.InterfaceError("the server closed the connection") from error
            raise
        self._give(connection)
        return done

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        self._mine = set()
        self._opening = 0
        self._generation += 1
        for connection in idle:
            connection.terminate()
        self._wake_all()

    async def _take(self) -> Any:
        while True:
            if self._idle:
                return self._idle.pop()
            if self.open < self.size:
                connection = await self._connect()
                if connection is not None:
                    return connection
                continue
            connection = await self._wait()
            if connection is not None:
                return connection
            # A connection was dropped meanwhile: there may be room to open one.

    async def _connect(self) -> Any:
        import asyncpg

        generation = self._generation
        self._opening += 1
        try:
            connection = await asyncpg.connect(self.dsn)
        except BaseException:
            if generation == self._generation:
                self._opening -= 1
                self._wake_one()
            raise
        if generation != self._generation:
            connection.terminate()  # closed while it opened: made for a start that ended
            return None
        self._opening -= 1
        self._mine.add(id(connection))
        return connection

    async def _wait(self) -> Any:
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if not waiter.done():
                self._waiting.remove(waiter)
            elif not waiter.cancelled():
                # Handed a connection (or a turn to open one) just before the cancel.
                handed = waiter.result()
                if handed is None:
                    self._wake_one()
                else:
                    self._give(handed)
            raise

    def _give(self, connection: Any) -> None:
        if id(connection) not in self._mine or connection.is_closed():
            self._drop(connection)
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        self._idle.append(connection)

    def _drop(self, connection: Any) -> None:
        if id(connection) in self._mine:
            self._mine.discard(id(connection))
            self._wake_one()
        if not connection.is_closed():
            connection.terminate()

    def _wake_one(self) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _wake_all(self) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
