from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    """Plug-in: share links, social metadata, preview images and the Mastodon hand-off."""

    name = "sharing"
    verbose_name = _("Sharing")

    def ready(self):
        from core.slots import register_slot
        from sharing import slots

        register_slot("head", "sharing-meta", slots.social_meta)
        register_slot("share", "sharing-links", slots.share_links)
