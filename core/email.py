"""Outgoing email: one renderer, one header writer, and sending through the task queue.

Every email is rendered from `emails/<name>_subject.txt`, `<name>.txt` and `<name>.html`
(render_email, Email.from_templates), carries the headers email_headers writes, and leaves
through a task (email_queue) that retries with backoff when the mail server fails:
EMAIL_RETRY_SECONDS, doubling, at most EMAIL_RETRY_MAX_SECONDS apart, EMAIL_MAX_ATTEMPTS
tries in all (email_retry_at; the newsletter deliveries follow the same rule). Links come
in as strings: this module knows no app.

Emails sent later by a worker are written in the reader's language, not the worker's: the
app stores reader_language() when the reader asks for them (a subscription, a comment), and
composes inside translation.override(email_language(stored)).
"""

import dataclasses
import datetime
import logging
import smtplib
from email.utils import make_msgid
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.i18n import LANGUAGE_PARAM

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Email:
    """One email to one recipient, as plain data (what a send task carries)."""

    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = dataclasses.field(default_factory=dict)

    def message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            self.subject, self.text, to=[self.to], headers=dict(self.headers)
        )
        message.attach_alternative(self.html, "text/html")
        return message

    @classmethod
    def from_templates(
        cls, name: str, context: dict, *, to: str, headers: dict[str, str]
    ) -> "Email":
        """The email `name` to `to`, rendered with `context` (see render_email)."""
        subject, text, html = render_email(name, context)
        return cls(to=to, subject=subject, text=text, html=html, headers=headers)


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of emails/<name>_subject.txt, <name>.txt and <name>.html.

    The subject is one line, and the bodies see it as `subject`.
    """
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    context = {**context, "subject": subject}
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    return subject, text, html


def email_language(code: str | None) -> str:
    """The language to write an email in for a reader who chose `code` ("" or None: none):
    that one when the site offers it, else the site's (LANGUAGE_CODE)."""
    if code and code in dict(settings.LANGUAGES):
        return code
    return settings.LANGUAGE_CODE


def reader_language() -> str:
    """The interface language the current reader uses, to store for the emails they will
    get; "" when no language the site offers is active (a command, say)."""
    code = translation.get_language()
    if not code:
        return ""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ""


def link_in_language(url: str, language: str) -> str:
    """`url` opening in `language` (core.i18n's `?lang=`) when that is not the site's: the
    links of a Welsh email open Welsh pages on any device, cookie or not."""
    if not language or language == settings.LANGUAGE_CODE:
        return url
    base, hash_mark, fragment = url.partition("#")
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{LANGUAGE_PARAM}={language}{hash_mark}{fragment}"


def site_host() -> str:
    """The host of SITE_URL: Message-IDs (and list ids) are under it."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def new_message_id(host: str = "") -> str:
    """A fresh Message-ID under `host` (SITE_URL's by default)."""
    return make_msgid(domain=host or site_host())


def email_headers(
    *,
    unsubscribe_url: str = "",
    list_id: str = "",
    automatic: bool = False,
    message_id: str = "",
) -> dict[str, str]:
    """The headers of an email we send; the one place they are written.

    Always a Message-ID under SITE_URL's host. With `unsubscribe_url`: List-Unsubscribe and
    List-Unsubscribe-Post (RFC 8058 one-click: the mail provider POSTs
    "List-Unsubscribe=One-Click" to the link, so its view must accept a POST without a
    CSRF token). `list_id`: List-Id (RFC 2919). `automatic`: Auto-Submitted (RFC 3834),
    for notices sent by the site rather than a person, so autoresponders stay quiet.
    """
    headers = {"Message-ID": message_id or new_message_id()}
    if list_id:
        headers["List-Id"] = list_id
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if automatic:
        headers["Auto-Submitted"] = "auto-generated"
    return headers


def email_retry_at(attempt: int) -> datetime.datetime | None:
    """When to try again after try number `attempt` failed; None once EMAIL_MAX_ATTEMPTS
    tries have been made. EMAIL_RETRY_SECONDS, doubling, at most EMAIL_RETRY_MAX_SECONDS."""
    if attempt >= settings.EMAIL_MAX_ATTEMPTS:
        return None
    delay = min(settings.EMAIL_RETRY_SECONDS * 2 ** (attempt - 1), settings.EMAIL_RETRY_MAX_SECONDS)
    return timezone.now() + datetime.timedelta(seconds=delay)


def smtp_refusal(
    error: smtplib.SMTPRecipientsRefused | smtplib.SMTPResponseException,
) -> tuple[bool, str]:
    """(permanent?, description) of a mail server's refusal."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
    else:
        code, text = error.smtp_code, error.smtp_error
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    # A refused sender is our configuration, not the recipient's address: never permanent.
    permanent = 500 <= code < 600 and not isinstance(error, smtplib.SMTPSenderRefused)
    return permanent, f"{code} {text}"


def email_queue(email: Email) -> None:
    """Send `email` through the task queue once the current transaction commits."""
    transaction.on_commit(partial(_enqueue, dataclasses.asdict(email), 1))


def _enqueue(email: dict, attempt: int, run_after: datetime.datetime | None = None) -> None:
    from core import tasks

    task = tasks.send_email
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(email, attempt)


def email_deliver(email: Email, *, attempt: int = 1) -> bool:
    """Send `email` now; True once the mail server accepted it.

    A temporary failure (a 4xx refusal, a timeout, a lost or refused connection) queues
    another try at email_retry_at(attempt); a permanent refusal (5xx), the last attempt, or a
    task backend that cannot defer (the immediate one) gives up. Every failure is logged.
    """
    try:
        get_connection().send_messages([email.message()])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
        permanent, reason = smtp_refusal(error)
        if permanent:
            logger.error("Could not send %r to %s: refused (%s)", email.subject, email.to, reason)
            return False
        _retry(email, attempt, reason)
        return False
    except (smtplib.SMTPException, OSError) as error:
        _retry(email, attempt, f"{type(error).__name__}: {error}")
        return False
    return True


def _retry(email: Email, attempt: int, reason: str) -> None:
    from core import tasks

    when = email_retry_at(attempt)
    if when is not None and tasks.send_email.get_backend().supports_defer:
        logger.warning(
            "Could not send %r to %s (attempt %d): %s; trying again at %s",
            email.subject,
            email.to,
            attempt,
            reason,
            when.isoformat(timespec="seconds"),
        )
        _enqueue(dataclasses.asdict(email), attempt + 1, run_after=when)
    else:
        logger.error(
            "Could not send %r to %s (attempt %d): %s; giving up",
            email.subject,
            email.to,
            attempt,
            reason,
        )
