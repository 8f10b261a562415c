from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Plug-in: the privacy page, readers' data requests (download, erasure) and retention."""

    name = "privacy"
    verbose_name = _("Readers' data")

    def ready(self):
        from core.roles import EDITOR, role_grant

        role_grant(EDITOR, "privacy")
