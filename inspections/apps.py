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
        # Authors draft inspections and their rows and send them for review; only editors
        # (inspections.publish_inspection) publish, schedule or change what is public.
        rows = ["finding", "inspectedorganisation", "score", "recommendation"]
        lists = ["inspectorate", "programme", "organisation", "theme", "measure", "ratinglevel"]
        role_grant(
            AUTHOR,
            "inspections",
            [
                "add_inspection",
                "change_inspection",
                "view_inspection",
                "view_inspectionversion",
                *(f"{action}_{model}" for model in rows for action in ("add", "change", "view")),
                *(f"delete_{model}" for model in rows),
                *(f"view_{model}" for model in lists),
            ],
        )
