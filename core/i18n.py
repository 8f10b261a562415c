"""The interface language: chosen by address (`?lang=cy`) as well as by the switcher's cookie.

The switcher (Django's `set_language`) remembers a reader's choice in a cookie. Search engines
and shared links carry no cookie, so each page also answers in a given language at its own
address, `?lang=<code>`: that is what the page's `hreflang` alternates point at. The
parameter sets no cookie, so such pages stay cacheable and anonymous.

Content (an article, an inspection) keeps the language it was written in: `content_lang`
gives the `lang` attribute to wrap it in when that is not the interface's language.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_noop, trans_real

from core.site import absolute_url

LANGUAGE_PARAM = "lang"


def _supported(code: str) -> str | None:
    if len(code) > 16 or not trans_real.language_code_re.match(code):
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_query_middleware(get_response):
    """`?lang=<code>` answers this one request in that language (after LocaleMiddleware)."""

    def middleware(request: HttpRequest):
        code = request.GET.get(LANGUAGE_PARAM, "")
        language = _supported(code) if code else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return get_response(request)

    return middleware


def hreflang(code: str) -> str:
    """A language code as BCP 47 writes it: `en-gb` → `en-GB`."""
    primary, _, region = code.partition("-")
    return f"{primary}-{region.upper()}" if region else primary


def _query_without_language(request: HttpRequest) -> str:
    query = request.GET
    if LANGUAGE_PARAM in query:  # copied only then: most addresses carry no `lang`
        query = query.copy()
        query.pop(LANGUAGE_PARAM)
    return query.urlencode()


def language_alternates(request: HttpRequest) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of this page in each interface language, then `x-default`."""
    query = _query_without_language(request)
    links = []
    for code, _name in settings.LANGUAGES:
        in_language = "&".join(part for part in (query, urlencode({LANGUAGE_PARAM: code})) if part)
        links.append((hreflang(code), absolute_url(f"{request.path}?{in_language}")))
    links.append(("x-default", absolute_url(path_without_language(request))))
    return links


def path_without_language(request: HttpRequest) -> str:
    """This page's path and query without `?lang=`: where the switcher sends the reader back."""
    query = _query_without_language(request)
    return request.path + (f"?{query}" if query else "")


def content_lang(language: str | None) -> str:
    """The `lang` that content written in `language` needs inside this page, or "".

    Blank means the site's own language (LANGUAGE_CODE), the one its content is written in
    unless it says otherwise: English content in a Welsh page is marked, as WCAG's "language
    of parts" asks. Only the primary subtag is compared: English content (`en`, `en-gb`) in an
    English page needs no attribute.
    """
    language = language or settings.LANGUAGE_CODE
    page = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    if language.split("-")[0].lower() == page:
        return ""
    return hreflang(language.lower())


# Django's own messages that readers and editors can meet on this site's forms, which
# Django's Welsh catalogue does not translate. Listed so that `makemessages` brings them into
# ours, which Django reads first.
DJANGO_MESSAGES = (
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_noop(
        "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."
    ),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. "
        "Allowed extensions are: %(allowed_extensions)s."
    ),
    gettext_noop("%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s."),
    gettext_noop("“%(value)s” value must be an integer."),
    gettext_noop("“%(value)s” value must be a decimal number."),
    gettext_noop("“%(value)s” value must be either True or False."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("%(model)s instance with %(field)s %(value)r does not exist."),
    gettext_noop("The inline value did not match the parent instance."),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be "
        "ambiguous or it may not exist."
    ),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("Messages"),
)
