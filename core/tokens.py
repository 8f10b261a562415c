"""Signed links: the one policy for every "confirm", "manage", "unsubscribe" and "stop" token.

- A token is Django's `signing.dumps` of the object's key, salted with the link's purpose
  ("subscriptions.manage", "comments.reply-notifications.stop", …), so a token made for one
  purpose never works for another, and timestamped.
- Rotatable: signing reads SECRET_KEY and SECRET_KEY_FALLBACKS. Move the old key into the
  fallbacks and links already sent keep working; remove it and they all stop.
- Revocable one object at a time: where the object keeps a secret of its own (a
  subscriber's `token_secret`), a fingerprint of that secret is signed into the token, and
  replacing the secret revokes every link made with the old one.
- Bounded: a confirmation link lasts as long as its caller says (7 days,
  SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS). Links that stop email (unsubscribe, manage, stop
  reply notices) last LINK_MAX_AGE, a year: every email brings fresh links, and a year is
  far beyond the 30 days an unsubscribe link must keep working after the email was sent.
- A forged, mistyped, wrongly-purposed or revoked token raises InvalidToken (views answer
  404); a genuine but too-old one raises ExpiredToken, a kind of InvalidToken (views that
  can say so answer 400 with a new-link explanation).
"""

import base64
import dataclasses
import datetime
import hashlib

from django.core import signing
from django.utils.crypto import constant_time_compare

LINK_MAX_AGE = datetime.timedelta(days=365)


class InvalidToken(Exception):
    """A link token that is forged, mistyped, for another purpose or revoked."""


class ExpiredToken(InvalidToken):
    """A genuine link token older than its purpose allows."""


def _fingerprint(secret: str) -> str:
    # Not keyed with SECRET_KEY, so rotating that key does not revoke per-object links; the
    # token's signature already stops anyone from choosing it.
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()[:9]).decode()


@dataclasses.dataclass(frozen=True)
class SignedKey:
    """What a genuine token names: the object's key, and its secret's fingerprint if any."""

    key: str | int
    fingerprint: str = ""

    def check(self, secret: str) -> None:
        """InvalidToken unless the token was made with `secret` (the object's current one)."""
        if not constant_time_compare(self.fingerprint, _fingerprint(secret)):
            raise InvalidToken("revoked")


def make_token(purpose: str, key: str | int, *, secret: str = "") -> str:
    """A signed, timestamped token naming `key` for `purpose`, tied to `secret` if given."""
    payload = [key, _fingerprint(secret)] if secret else key
    return signing.dumps(payload, salt=purpose)


def read_token(
    purpose: str, token: str, *, max_age: datetime.timedelta = LINK_MAX_AGE
) -> SignedKey:
    """What a token made by make_token(purpose, …) names; ExpiredToken or InvalidToken.

    Callers that passed a secret look the object up by `key` and call `check()` with its
    current secret.
    """
    try:
        payload = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.SignatureExpired:
        raise ExpiredToken(purpose) from None
    except (signing.BadSignature, ValueError, UnicodeError):
        raise InvalidToken(purpose) from None
    match payload:
        case str() | int() as key if not isinstance(key, bool):
            return SignedKey(key)
        case [str() | int() as key, str() as fingerprint] if not isinstance(key, bool):
            return SignedKey(key, fingerprint)
    raise InvalidToken(purpose)
