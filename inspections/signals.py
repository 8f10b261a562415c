from django.apps import apps

from core.pagecache import bump_on_change, register_next_change


def connect():
    from inspections.models import Inspection

    # Inspection pages, organisation pages, charts and listings read every model here.
    bump_on_change(*apps.get_app_config("inspections").get_models(), uid="inspections")
    # A scheduled inspection goes live by itself: cached pages expire at its time.
    register_next_change(Inspection.objects.next_publication_at)
