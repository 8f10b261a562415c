"""Admin dashboard panels: the admin index shows what each installed app says is waiting.

An app's `admin.py` registers a panel: a name, an order, a template it owns
(`admin/<app>/_dashboard_panel.html`) and `build(request) -> dict | None`, the panel's
context, or None when the user may not see it. The admin site renders the panels that
answer, in order; each template sees only its context, as `panel`. An app that is not
installed never has its `admin.py` imported, so its panel is absent.

A builder costs a fixed number of queries, however much content is waiting.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest

# Rows a panel lists before it links to the full admin list.
PANEL_ROWS = 8

Builder = Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    build: Builder
    order: int = 100


@dataclass(frozen=True)
class ShownPanel:
    name: str
    template: str
    context: dict[str, Any]


_panels: dict[str, Panel] = {}


def register_panel(name: str, *, build: Builder, template: str, order: int = 100) -> None:
    """Show `template` on the admin index with the context `build(request)` returns."""
    _panels[name] = Panel(name=name, template=template, build=build, order=order)


def unregister_panel(name: str) -> None:
    _panels.pop(name, None)


def registered_panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def panels_for(request: HttpRequest) -> list[ShownPanel]:
    """The panels `request.user` may see, in order, each with its context."""
    shown = []
    for panel in registered_panels():
        context = panel.build(request)
        if context is not None:
            shown.append(ShownPanel(name=panel.name, template=panel.template, context=context))
    return shown


def head_and_count(queryset: QuerySet, rows: int = PANEL_ROWS) -> tuple[list, int]:
    """The first `rows` objects of `queryset` and how many it holds in all, in one query."""
    head = list(queryset.annotate(panel_total=Window(Count("pk")))[:rows])
    return head, (head[0].panel_total if head else 0)
