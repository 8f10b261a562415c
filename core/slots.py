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

A renderer whose HTML is the same for every anonymous reader of its object (given the
options and the language, while the content does not change) says so with `@shared`; its
output is then kept between requests (core.pagecache.fragment).
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template import Context
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString

from core.pagecache import fragment

Renderer = Callable[..., str]

_slots: dict[str, dict[str, tuple[int, Renderer]]] = {}


def shared(
    renderer: Renderer | None = None, *, unless: Callable[[HttpRequest], bool] | None = None
):
    """Mark `renderer` as the same for every anonymous reader of an object (see module doc);
    `unless(request)` true renders it afresh for that request (e.g. a query it reads)."""

    def mark(renderer: Renderer) -> Renderer:
        renderer.shared_unless = unless or (lambda request: False)
        return renderer

    return mark(renderer) if renderer is not None else mark


def register_slot(slot: str, name: str, renderer: Renderer, *, order: int = 100) -> None:
    """Attach `renderer(context, obj, **options) -> html` to `slot`, once under `name`."""
    _slots.setdefault(slot, {})[name] = (order, renderer)


def unregister_slot(slot: str, name: str) -> None:
    _slots.get(slot, {}).pop(name, None)


def _object_key(obj: Any) -> str | None:
    if obj is None:
        return "-"
    meta, pk = getattr(obj, "_meta", None), getattr(obj, "pk", None)
    return f"{meta.label_lower}.{pk}" if meta is not None and pk is not None else None


def _render(slot, name, renderer, context, obj, options) -> str:
    unless = getattr(renderer, "shared_unless", None)
    if unless is None:
        return renderer(context, obj, **options)
    request = getattr(context, "request", None) or context.get("request")
    target = _object_key(obj)
    if request is None or target is None or unless(request):
        return renderer(context, obj, **options)
    key = f"slot:{slot}:{name}:{target}:{sorted(options.items())}"
    return fragment(request, key, lambda: conditional_escape(renderer(context, obj, **options)))


def render_slot(slot: str, context: Context | dict, obj: Any = None, **options) -> SafeString:
    renderers = sorted(_slots.get(slot, {}).items(), key=lambda item: item[1][0])
    parts = [
        _render(slot, name, renderer, context, obj, options) for name, (_, renderer) in renderers
    ]
    return format_html_join("", "{}", ((part,) for part in parts if part))
