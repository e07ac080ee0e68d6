"""LISTEN / NOTIFY (the role of PostgreSQL's commands/async.c).

A session's LISTEN/UNLISTEN and NOTIFY are pending in its transaction and take
effect at COMMIT; a rolled-back transaction or savepoint drops them.  Within one
transaction, repeating a (channel, payload) pair notifies once.

``NotifyHub`` (one per ``Database``) keeps, for each database, the sessions
listening and their channels, and each listener's queue of notifications not
yet delivered.  At commit the notifying session hands its notifications to the
hub, which queues them for every session of the same database listening on the
channel (the notifier itself included).  A listener takes its queue
(``Session.take_notifications``) when it is about to report ReadyForQuery outside
a transaction block; a listener idle outside a transaction is woken through the
callback its connection registers (``Session.notify_wakeup``), so a client
waiting on its socket gets the NotificationResponse at once, as from
PostgreSQL.  The queue lives in memory: nothing of it survives a restart,
which is PostgreSQL's behaviour too.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from tuskdb.errors import INVALID_PARAMETER_VALUE, PgError

NAMEDATALEN = 64
NOTIFY_PAYLOAD_MAX_LENGTH = 8000        # bytes, PostgreSQL's BLCKSZ - NAMEDATALEN - 128
QUEUE_PAGE_SIZE = 8192


class Notification:
    __slots__ = ("pid", "channel", "payload")

    def __init__(self, pid: int, channel: str, payload: str) -> None:
        self.pid, self.channel, self.payload = pid, channel, payload

    def __repr__(self) -> str:
        return f"Notification({self.pid}, {self.channel!r}, {self.payload!r})"


class NotifyHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[Any, tuple[int, set[str]]] = {}   # session -> (dboid, channels)
        self._queues: dict[Any, deque[Notification]] = {}
        self.max_pages = 1048576          # max_notify_queue_pages

    def channels(self, session: Any) -> list[str]:
        with self._lock:
            entry = self._listeners.get(session)
            return sorted(entry[1]) if entry else []

    def apply(self, session: Any, dboid: int, actions: list[tuple[str, str | None]]) -> None:
        """Commit LISTEN ('listen', ch) / UNLISTEN ('unlisten', ch | None for *)."""
        with self._lock:
            entry = self._listeners.get(session)
            chans = set(entry[1]) if entry else set()
            for what, ch in actions:
                if what == "listen":
                    chans.add(ch)             # type: ignore[arg-type]
                elif ch is None:
                    chans.clear()
                else:
                    chans.discard(ch)
            if chans:
                self._listeners[session] = (dboid, chans)
                self._queues.setdefault(session, deque())
            else:
                self._listeners.pop(session, None)

    def send(self, dboid: int, notes: list[Notification]) -> None:
        """Queue committed notifications for every listener of the database."""
        woken = []
        with self._lock:
            for session, (db, chans) in self._listeners.items():
                if db != dboid:
                    continue
                mine = [n for n in notes if n.channel in chans]
                if mine:
                    self._queues.setdefault(session, deque()).extend(mine)
                    woken.append(session)
        for session in woken:
            wake = getattr(session, "notify_wakeup", None)
            if wake is not None:
                try:
                    wake()
                except Exception:      # a connection going away must not fail the sender
                    pass

    def take(self, session: Any) -> list[Notification]:
        with self._lock:
            q = self._queues.get(session)
            if not q:
                return []
            out = list(q)
            q.clear()
            return out

    def has_pending(self, session: Any) -> bool:
        with self._lock:
            return bool(self._queues.get(session))

    def forget(self, session: Any) -> None:
        """The session ended: it listens no more (UNLISTEN * at backend exit)."""
        with self._lock:
            self._listeners.pop(session, None)
            self._queues.pop(session, None)

    def usage(self) -> float:
        """pg_notification_queue_usage(): the fraction of the queue's capacity that
        notifications not yet read by every listener take."""
        with self._lock:
            size = sum(len(n.channel) + len(n.payload.encode()) + 32
                       for q in self._queues.values() for n in q)
        return size / (self.max_pages * QUEUE_PAGE_SIZE)


def check_channel(channel: str | None) -> str:
    if not channel:
        raise PgError(INVALID_PARAMETER_VALUE, "channel name cannot be empty")
    if len(channel.encode()) >= NAMEDATALEN:
        raise PgError(INVALID_PARAMETER_VALUE, "channel name too long")
    return channel


class PendingNotify:
    """A transaction's LISTEN/UNLISTEN actions and notifications, until it ends."""

    def __init__(self) -> None:
        self.actions: list[tuple[str, str | None]] = []
        self.notes: list[tuple[str, str]] = []
        self._seen: set[tuple[str, str]] = set()

    def notify(self, channel: str, payload: str) -> None:
        key = (channel, payload)
        if key not in self._seen:
            self._seen.add(key)
            self.notes.append(key)

    def truncate(self, n_actions: int, n_notes: int) -> None:
        """A savepoint rolled back: drop what was added after it."""
        del self.actions[n_actions:]
        for key in self.notes[n_notes:]:
            self._seen.discard(key)
        del self.notes[n_notes:]


def _pending(s: Any) -> PendingNotify:
    p = getattr(s, "pending_notify", None)
    if p is None:
        p = s.pending_notify = PendingNotify()
    return p


def _note_savepoint(s: Any, p: PendingNotify) -> None:
    """Drop this statement's additions if the current (sub)transaction aborts."""
    txn = s.txn
    if txn is not None:
        na, nn = len(p.actions), len(p.notes)
        txn.on_abort(lambda: p.truncate(na, nn))


def notify(s: Any, channel: str | None, payload: str | None) -> None:
    """NOTIFY channel [, payload] / pg_notify(): pending until commit."""
    channel = check_channel(channel)
    payload = payload or ""
    if len(payload.encode()) >= NOTIFY_PAYLOAD_MAX_LENGTH:
        raise PgError(INVALID_PARAMETER_VALUE, "payload string too long")
    p = _pending(s)
    _note_savepoint(s, p)
    p.notify(channel, payload)


def listen(s: Any, channel: str | None, unlisten: bool = False) -> None:
    """LISTEN channel / UNLISTEN channel / UNLISTEN * (channel None)."""
    p = _pending(s)
    _note_savepoint(s, p)
    p.actions.append(("unlisten" if unlisten else "listen", channel))


def at_commit(s: Any) -> None:
    """The transaction committed: listen state changes, notifications go out."""
    p = getattr(s, "pending_notify", None)
    if p is None:
        return
    s.pending_notify = None
    hub = s.db.notify_hub
    if p.actions:
        hub.apply(s, s.dboid, p.actions)
    if p.notes:
        hub.send(s.dboid, [Notification(s.pid, ch, pl) for ch, pl in p.notes])


def at_abort(s: Any) -> None:
    s.pending_notify = None
