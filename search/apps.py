from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Plug-in: the site search over every kind the content registry lists, and its index."""

    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from core.slots import register_slot
        from search import signals, slots

        signals.connect()
        register_slot("site-head", "search-opensearch", slots.opensearch_link)
        register_slot("site-header", "search-box", slots.header_form)
