from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core.catalogs import load_lean_catalogs

        load_lean_catalogs()
