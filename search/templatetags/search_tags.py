from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_query(context, name: str, value: str | None = None) -> str:
    """The current search's query string with facet `name` set to `value` (None removes it),
    back on the first page."""
    return querystring(context, **{name: value, "page": None})
