"""The ground floor's template tags: slots that plug-ins fill, fragments kept between requests,
and the page's languages."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core import i18n
from core.pagecache import fragment
from core.slots import render_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str, obj=None, **options) -> SafeString:
    """Whatever the installed plug-ins attach at `name` for `obj` (nothing if none do)."""
    return render_slot(name, context, obj, **options)


@register.inclusion_tag("includes/_language_alternates.html", takes_context=True)
def language_alternates(context) -> dict:
    """`<link rel="alternate" hreflang>` to this page in each interface language."""
    request = context.get("request")
    # Error pages (Django's handlers put the `exception` in their context) have no versions.
    if request is None or "exception" in context or request.method != "GET":
        return {"alternates": []}
    return {"alternates": i18n.language_alternates(request)}


@register.simple_tag
def content_lang(language: str | None) -> SafeString:
    """` lang="…"` for content written in another language than the page's, else nothing."""
    code = i18n.content_lang(language)
    return format_html(' lang="{}"', code) if code else SafeString("")


@register.simple_tag(takes_context=True)
def path_without_language(context) -> str:
    """The current path and query without `?lang=` (where the language switcher returns)."""
    return i18n.path_without_language(context["request"])


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary: list):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context) -> SafeString:
        request = getattr(context, "request", None) or context.get("request")
        parts = [self.name, *(str(value.resolve(context)) for value in self.vary)]
        return fragment(request, "tag:" + ":".join(parts), lambda: self.nodelist.render(context))


@register.tag("fragment")
def do_fragment(parser, token) -> FragmentNode:
    """`{% fragment "name" value … %}…{% endfragment %}`: HTML the same for every anonymous
    reader in a language while the content does not change, given the values; kept between
    requests (core.pagecache.fragment). Nothing personal or address-dependent inside."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return FragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
