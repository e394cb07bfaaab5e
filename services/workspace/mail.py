"""E-mail for notifications, only when an SMTP server is configured (SMTP_HOST).

A notification's e-mail is neutral: it says what kind of thing happened and where to read it
(``PUBLIC_URL``/notifications), never a name, a title or a comment's text, so a mailbox, a
relay or a forwarded message holds nothing classified; the reader sees the rest signed in,
through their clearance. Messages are noted as notifications are made, handed over only once
the transaction commits (a rolled-back change mails nothing) and sent by one background
thread, so a slow or failing server never delays or fails the request: a failure is logged
(without the recipient's address or any content) and the notification stays in the app.
"""

from __future__ import annotations

import logging
import queue
import smtplib
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from models import Notification, User
from models.enums import LOCALES

log = logging.getLogger(__name__)

# session.info key: messages waiting for the commit
_PENDING = "mail_pending"

# The neutral line each kind of notification is mailed as, translated when it is composed in
# the recipient's language (``compose``)
LINES = {
    "mention": _l("A colleague mentioned you in a comment."),
    "evidence_linked": _l("New evidence was linked in a dossier you watch."),
    "element_changed": _l("An element of the crime changed status in a dossier you watch."),
    "task_assigned": _l("A task was assigned to you."),
    "search_result": _l("There is something new in a saved search you watch."),
    "import_linked": _l("An import linked evidence to officials you watch."),
}


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    starttls: bool
    public_url: str | None


@dataclass(frozen=True)
class Outgoing:
    settings: Settings
    message: EmailMessage


def settings_from(config: Any) -> Settings | None:
    """The SMTP settings, or None when no server is configured (mail is then not sent)."""
    host = config.get("SMTP_HOST")
    if not host:
        return None
    return Settings(
        host=host,
        port=int(config.get("SMTP_PORT") or 25),
        user=config.get("SMTP_USER") or None,
        password=config.get("SMTP_PASSWORD") or None,
        sender=config.get("SMTP_FROM") or "tribunal-scope@localhost",
        starttls=bool(config.get("SMTP_STARTTLS")),
        public_url=(config.get("PUBLIC_URL") or "").rstrip("/") or None,
    )


def compose(settings: Settings, recipient: str, kind: str, locale: str | None = None) -> EmailMessage:
    """The e-mail of a notification in ``locale`` (the recipient's interface language, the
    one they chose in the header; English when they never chose one)."""
    with force_locale(locale if locale in LOCALES else "en"):
        subject = _("Tribunal Scope: a new notification")
        line = str(LINES[kind])
        where = (
            _("Read it at %(address)s (sign in first).", address=f"{settings.public_url}/notifications")
            if settings.public_url
            else _("Sign in to Tribunal Scope and open Notifications to read it.")
        )
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(f"{line}\n\n{where}\n")
    return message


def queue_for(session: Session, notification: Notification, recipient: User) -> None:
    """Note the e-mail of a notification just made, if SMTP is configured."""
    settings = settings_from(current_app.config) if has_app_context() else None
    if settings is None:
        return
    session.info.setdefault(_PENDING, []).append(
        Outgoing(settings, compose(settings, recipient.email, notification.kind, recipient.locale))
    )


def after_commit(session: Session) -> None:
    for outgoing in session.info.pop(_PENDING, None) or []:
        _outbox().put(outgoing)


def after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


# --- the sender ----------------------------------------------------------------------------

_lock = threading.Lock()
_queue: queue.Queue[Outgoing] | None = None


def _outbox() -> queue.Queue[Outgoing]:
    global _queue  # noqa: PLW0603  (one sender thread per process, started on first use)
    with _lock:
        if _queue is None:
            _queue = queue.Queue()
            threading.Thread(target=_send_forever, args=(_queue,), name="notification-mail", daemon=True).start()
        return _queue


def _send_forever(outbox: queue.Queue[Outgoing]) -> None:
    while True:
        outgoing = outbox.get()
        try:
            send(outgoing)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("notification mail not sent: %s", type(exc).__name__)
        finally:
            outbox.task_done()


def send(outgoing: Outgoing) -> None:
    settings = outgoing.settings
    with smtplib.SMTP(settings.host, settings.port, timeout=10) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(outgoing.message)


def wait_until_sent() -> None:
    """Block until every message handed over so far was sent or failed (tests; shutdown)."""
    if _queue is not None:
        _queue.join()
