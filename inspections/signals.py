from django.apps import apps

from core.pagecache import bump_on_change


def connect():
    # Inspection pages, organisation pages, charts and listings read every model here.
    bump_on_change(*apps.get_app_config("inspections").get_models(), uid="inspections")
