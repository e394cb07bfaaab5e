"""Sign-in throttling: failed attempts counted in three kinds of bucket, each with a back-off
that doubles with every failure past its threshold.

- An account at a client address: one client guessing one account's password. Five failures
  and that client waits; nobody else does.
- A client address, whatever the account: one client spraying passwords over many accounts.
- An account, from every address: a guess spread over many addresses. One address adds at
  most its own bucket's threshold to it, so no single client can lock the owner out, and a
  browser that has completed a sign-in to the account before (a remembered device: the view
  keeps a signed cookie) is exempt from it and from the per-address bucket, so that even an
  attack from many addresses leaves the owner their own devices.

Exact under parallel attempts: before the password is checked, each bucket the attempt falls
in is taken by an upsert that locks its row until the request's transaction ends (on SQLite,
every sign-in holds the database's write lock anyway), so a second attempt in the same
bucket waits until the first is counted. A refused attempt checks no password and counts
nothing. Rows idle for a day are purged, a bounded batch at each recorded failure.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import LoginThrottle

ANY = ""  # the account or the address of a bucket that counts them all


@dataclass(frozen=True)
class Limit:
    threshold: int  # the failure at which the bucket first blocks
    forget_after: dt.timedelta  # a streak without a failure for this long starts again from 0


PAIR = Limit(5, dt.timedelta(hours=24))  # an account at one address
ACCOUNT = Limit(10, dt.timedelta(hours=24))  # an account from every address (needs two addresses or more)
ADDRESS = Limit(20, dt.timedelta(hours=1))  # one address, every account (an office behind one NAT)
BACKOFF_BASE = dt.timedelta(minutes=1)  # the block at the threshold; each further failure doubles it
BACKOFF_MAX = dt.timedelta(hours=1)
IDLE_PURGE = dt.timedelta(hours=24)  # longer than every forget_after
PURGE_BATCH = 100
IPV6_PREFIX = 64  # one subscriber's IPv6 network: a client changes addresses within it at will


def client_bucket(remote_addr: str | None) -> str:
    """The address a client is counted under: its IPv4 address, or its IPv6 /64 network."""
    try:
        address = ipaddress.ip_address((remote_addr or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def _limit(account: str, address: str) -> Limit:
    if account and address:
        return PAIR
    return ACCOUNT if account else ADDRESS


def backoff(failures: int, limit: Limit) -> dt.timedelta | None:
    """How long a bucket blocks after its ``failures``-th failure in a streak (None: not at all)."""
    if failures < limit.threshold:
        return None
    return min(BACKOFF_BASE * 2 ** min(failures - limit.threshold, 16), BACKOFF_MAX)


@dataclass
class Bucket:
    account: str
    address: str
    failures: int  # in the current streak (a forgotten streak reads 0)
    blocked_until: dt.datetime | None


@dataclass
class Hold:
    """The buckets of one attempt, locked until the transaction ends."""

    now: dt.datetime
    buckets: list[Bucket] = field(default_factory=list)

    @property
    def retry_after(self) -> dt.timedelta | None:
        """How long until every bucket lets an attempt through; None when they all do now."""
        waits = [b.blocked_until - self.now for b in self.buckets if b.blocked_until and b.blocked_until > self.now]
        return max(waits) if waits else None


def _upsert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def hold(session: Session, account: str, address: str, *, remembered: bool, now: dt.datetime) -> Hold:
    """Take (creating them if need be) the buckets of an attempt on ``account`` from
    ``address``; a remembered device is counted only in the account-at-address bucket."""
    keys = [(account, address)] if remembered else [(account, address), (account, ANY), (ANY, address)]
    table = LoginThrottle.__table__
    insert = _upsert(session)
    taken = Hold(now)
    for key in sorted(keys):  # always in the same order: two attempts never wait for each other in a cycle
        statement = insert(table).values(account=key[0], address=key[1], failures=0, updated_at=now)
        statement = statement.on_conflict_do_update(index_elements=["account", "address"], set_={"updated_at": now})
        row = session.execute(
            statement.returning(table.c.failures, table.c.last_failure_at, table.c.blocked_until)
        ).one()
        limit = _limit(*key)
        forgotten = row.last_failure_at is None or now - row.last_failure_at > limit.forget_after
        taken.buckets.append(Bucket(key[0], key[1], 0 if forgotten else row.failures, row.blocked_until))
    return taken


def record_failure(session: Session, taken: Hold) -> None:
    """Count a failed attempt in every bucket held; the account's bucket only while this
    address's own bucket for the account is under its threshold."""
    pair = next(b for b in taken.buckets if b.account and b.address)
    for bucket in taken.buckets:
        if bucket.account and not bucket.address and pair.failures >= PAIR.threshold:
            continue  # this address has had its share of the account's count
        failures = bucket.failures + 1
        block = backoff(failures, _limit(bucket.account, bucket.address))
        _write(session, bucket, failures=failures, last_failure_at=taken.now, blocked_until=block and taken.now + block)
    purge(session, taken.now)


def record_success(session: Session, taken: Hold) -> None:
    """A right password clears the account's buckets held; the address's keeps its count
    (a sprayer who owns one account must not reset it with that account's password)."""
    for bucket in taken.buckets:
        if bucket.account:
            _write(session, bucket, failures=0, last_failure_at=None, blocked_until=None)


def _write(session: Session, bucket: Bucket, **values: Any) -> None:
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.account == bucket.account, LoginThrottle.address == bucket.address)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def purge(session: Session, now: dt.datetime) -> int:
    """Delete at most PURGE_BATCH buckets idle for a day and not blocking; rows another
    attempt holds right now are skipped (PostgreSQL) rather than waited for."""
    idle = (
        select(LoginThrottle.account, LoginThrottle.address)
        .where(
            LoginThrottle.updated_at < now - IDLE_PURGE,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < now),
        )
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    # The keys first, then the delete: inside ``DELETE ... IN (SELECT ... LIMIT)`` PostgreSQL
    # may run the subquery more than once and delete more than a batch.
    keys = [tuple(row) for row in session.execute(idle)]
    if not keys:
        return 0
    result = session.execute(
        delete(LoginThrottle)
        .where(tuple_(LoginThrottle.account, LoginThrottle.address).in_(keys))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def clear_account(session: Session, account: str) -> int:
    """Forget every failure counted against ``account`` (an administrator's unlock)."""
    result = session.execute(
        delete(LoginThrottle).where(LoginThrottle.account == account).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
