"""Template slots: a page says where something may attach; plug-ins attach to it.

A content template writes `{% slot "after-content" article %}`; the comments plug-in, if it
is installed, registers a renderer for "after-content" in its `AppConfig.ready()`. With no
renderer registered a slot renders nothing, so a site without the plug-in still works.

Slots used by the templates:
  head           <head> metadata for the page's main object (canonical, Open Graph, JSON-LD)
  feeds          extra <link rel="alternate"> feeds for the page's main object
  share          share links for the page's main object (option: placement="top"/"bottom")
  after-content  below the main object (comment section)
  card-meta      a line under a listing card (comment count)
  sidebar        boxes in the site's sidebar (subscribe form, resource pack promo)
  follow         a box to follow the page's organisation, tag, author (or, with the option
                 inspectorate=<slug>, inspectorate) by email
  site-head      <head> links of every page (the search plug-in's OpenSearch description)
  site-header    the site header of every page, after the menu (the search box)
"""

from collections.abc import Callable
from typing import Any

from django.template import Context
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

Renderer = Callable[..., str]

_slots: dict[str, dict[str, tuple[int, Renderer]]] = {}


def register_slot(slot: str, name: str, renderer: Renderer, *, order: int = 100) -> None:
    """Attach `renderer(context, obj, **options) -> html` to `slot`, once under `name`."""
    _slots.setdefault(slot, {})[name] = (order, renderer)


def unregister_slot(slot: str, name: str) -> None:
    _slots.get(slot, {}).pop(name, None)


def render_slot(slot: str, context: Context | dict, obj: Any = None, **options) -> SafeString:
    renderers = sorted(_slots.get(slot, {}).values(), key=lambda entry: entry[0])
    parts = [renderer(context, obj, **options) for _, renderer in renderers]
    return format_html_join("", "{}", ((part,) for part in parts if part))
