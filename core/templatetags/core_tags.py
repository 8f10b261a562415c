"""The ground floor's template tags: slots that plug-ins fill."""

from django import template
from django.utils.safestring import SafeString

from core.slots import render_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str, obj=None, **options) -> SafeString:
    """Whatever the installed plug-ins attach at `name` for `obj` (nothing if none do)."""
    return render_slot(name, context, obj, **options)
