from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordPressConfig(AppConfig):
    """Top floor: brings a WordPress site over through the other apps' public services."""

    name = "wordpress"
    verbose_name = _("WordPress import")
