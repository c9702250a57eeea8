"""Sign-in throttling: failed attempts counted per account and per address, in Redis when it is set (so
the limit holds across app instances), in this process otherwise. Over the limit, sign-in answers 429
with Retry-After until the window ends, whether or not the password is right."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from contact_center.errors import DomainError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Limit:
    attempts: int
    window_seconds: int


ACCOUNT = Limit(10, 15 * 60)  # a person mistyping does not get there; a guesser gets 40 tries an hour
ADDRESS = Limit(50, 15 * 60)  # a whole office behind one NAT address stays under it


class TooManyAttempts(DomainError):
    status_code = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed sign-ins: try again in {seconds} s", seconds=retry_after)
        self.retry_after = retry_after


class LoginThrottle:
    def __init__(self, redis: Redis | None = None, prefix: str = "cc") -> None:
        self._redis = redis
        self._prefix = prefix
        self._local: dict[str, tuple[int, float]] = {}

    def _keys(self, username: str, address: str) -> list[tuple[str, Limit]]:
        return [(f"{self._prefix}:login:user:{username.strip().lower()}", ACCOUNT),
                (f"{self._prefix}:login:addr:{address}", ADDRESS)]  # fmt: skip

    async def check(self, username: str, address: str) -> None:
        """Raises TooManyAttempts while the account or the address is over its limit."""
        for key, limit in self._keys(username, address):
            count, ttl = await self._read(key)
            if count >= limit.attempts:
                raise TooManyAttempts(max(ttl, 1))

    async def failed(self, username: str, address: str) -> None:
        for key, limit in self._keys(username, address):
            await self._increment(key, limit.window_seconds)

    async def succeeded(self, username: str) -> None:
        key = self._keys(username, "")[0][0]
        self._local.pop(key, None)
        if self._redis is not None:
            try:
                await self._redis.delete(key)
            except RedisError as exc:
                log.warning("login throttle: Redis unavailable (%s)", exc)

    async def _read(self, key: str) -> tuple[int, int]:
        if self._redis is not None:
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    pipe.get(key)
                    pipe.ttl(key)
                    count, ttl = await pipe.execute()
                return int(count or 0), int(ttl if ttl and ttl > 0 else 0)
            except RedisError as exc:
                log.warning("login throttle: Redis unavailable (%s); counting in this process", exc)
        count, expires = self._local.get(key, (0, 0.0))
        left = expires - time.monotonic()
        return (count, int(left) + 1) if left > 0 else (0, 0)

    async def _increment(self, key: str, window: int) -> None:
        if self._redis is not None:
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    pipe.incr(key)
                    pipe.expire(key, window, nx=True)
                    await pipe.execute()
                return
            except RedisError as exc:
                log.warning("login throttle: Redis unavailable (%s); counting in this process", exc)
        count, expires = self._local.get(key, (0, 0.0))
        if expires <= time.monotonic():
            count, expires = 0, time.monotonic() + window
        if len(self._local) > 100_000:  # a flood of made-up names must not grow memory without end
            self._local.clear()
        self._local[key] = (count + 1, expires)


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: frozenset[str]) -> str:
    """The caller's address: the peer's, unless the peer is a configured proxy, then the nearest address
    in X-Forwarded-For that is not one of ours (anything further left the client may have made up)."""
    address = peer or "unknown"
    if address in trusted_proxies and forwarded_for:
        for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
            if hop not in trusted_proxies:
                return hop
    return address
