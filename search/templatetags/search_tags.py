from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_query(context, name: str, value: str | None = None) -> str:
    """The current search's query string with facet `name` set to `value` (None removes it),
    back on the first page: what `{% querystring name=value page=None %}` gives, without
    copying the request's QueryDict for each of the fifty or so options of a page."""
    current = context.request.GET
    pairs = []
    for key, values in current.lists():
        if key == name:
            if value is not None:
                pairs.append((key, value))
        elif key != "page":
            pairs += [(key, v) for v in values]
    if value is not None and name not in current:
        pairs.append((name, value))
    if not pairs and not current:
        return ""
    return f"?{urlencode(pairs)}"
