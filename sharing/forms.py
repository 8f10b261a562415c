import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# A DNS host name: labels of letters, digits and hyphens, at least one dot, no port or path.
HOSTNAME = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def is_shareable_url(url: str) -> bool:
    """Only this site's own pages are shared through our Mastodon hand-off page."""
    return url == settings.SITE_URL or url.startswith(settings.SITE_URL + "/")


class MastodonShareForm(forms.Form):
    instance = forms.CharField(
        label=_("Your Mastodon server"),
        max_length=253,
        help_text=_("For example mastodon.social or your own server's address."),
    )
    text = forms.CharField(widget=forms.HiddenInput, max_length=500)
    url = forms.URLField(widget=forms.HiddenInput, max_length=2000, assume_scheme="https")

    def clean_instance(self) -> str:
        value = self.cleaned_data["instance"].strip().lower()
        if "://" in value:
            value = urlsplit(value).hostname or ""
        value = value.strip("/").lstrip("@")
        if "@" in value:  # a full handle such as @me@example.social
            value = value.rsplit("@", 1)[1]
        if not HOSTNAME.match(value):
            raise forms.ValidationError(_("Enter a server name such as mastodon.social."))
        return value

    def clean_url(self) -> str:
        value = self.cleaned_data["url"]
        if not is_shareable_url(value):
            raise forms.ValidationError(_("Only pages of this site can be shared from here."))
        return value
