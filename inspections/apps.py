from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from core.roles import AUTHOR, EDITOR, role_grant
        from inspections import registry, signals

        registry.register()
        signals.connect()
        role_grant(EDITOR, "inspections")
        role_grant(AUTHOR, "inspections", ["view_inspection"])
