from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Plug-in: the reader's search page, across every kind the content registry lists."""

    name = "search"
    verbose_name = _("Search")
