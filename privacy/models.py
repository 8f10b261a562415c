"""Data requests: the one row that lets a reader's emailed link find their address again."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tokens import InvalidToken, make_token, read_token

TOKEN_SALT = "privacy.data-request"


def link_max_age() -> datetime.timedelta:
    """How long a data-request link works (PRIVACY_LINK_MAX_AGE_HOURS)."""
    return datetime.timedelta(hours=settings.PRIVACY_LINK_MAX_AGE_HOURS)


class DataRequestQuerySet(models.QuerySet):
    def expired(self, now: datetime.datetime | None = None):
        """Requests whose link no longer works: the purge deletes them."""
        return self.filter(requested_at__lt=(now or timezone.now()) - link_max_age())

    def with_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def from_token(self, token: str) -> "DataRequest":
        """The request a link names; ExpiredToken when too old, InvalidToken when forged or
        when the request is gone (its data was erased, or it was purged)."""
        signed = read_token(TOKEN_SALT, token, max_age=link_max_age())
        try:
            request = self.filter(key=signed.key).first()
        except ValidationError:
            request = None
        if request is None:
            raise InvalidToken(token)
        return request


class DataRequest(models.Model):
    """A reader (or an editor on their behalf) asked for the data held about an address.

    The emailed link names this row's random key, never the address, so the address does
    not travel in URLs or server logs. Rows live as long as the link works.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), max_length=254)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("data request")

    def __str__(self):
        return self.email

    def get_absolute_url(self):
        return reverse("privacy:request-detail", args=[self.token()])

    def token(self) -> str:
        """The signed token of this request's link (core.tokens), good for link_max_age()."""
        return make_token(TOKEN_SALT, self.key.hex)
