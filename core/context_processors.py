from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, route name, kwargs). A route that does not exist yet is left out of the menu.
MENU = [
    (_("Home"), "blog:home", {}),
    (_("Articles"), "blog:article-list", {}),
    (_("Inspections"), "inspections:inspection-list", {}),
    (_("Resources"), "blog:resourcepack-list", {}),
    (_("About"), "blog:legacy-redirect", {"slug": "about"}),
    (_("Subscribe"), "subscriptions:subscribe", {}),
    (_("Search"), "search:search", {}),
]


@cache
def menu_items() -> tuple[tuple[str, str], ...]:
    items = []
    for label, name, kwargs in MENU:
        try:
            items.append((label, reverse(name, kwargs=kwargs)))
        except NoReverseMatch:
            continue
    return tuple(items)


@cache
def _menu_paths() -> frozenset[str]:
    return frozenset(url for _label, url in menu_items())


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "menu_items": menu_items(),
        # The menu entry of this very page (marked aria-current), if it is one: the header
        # is then the same on every other page (a fragment, core.pagecache).
        "menu_current": request.path if request.path in _menu_paths() else "",
    }
