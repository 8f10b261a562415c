"""The allowlist for rich-text HTML. Everything stored in an HTML field passes through here."""

import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "img": {"src", "alt", "width", "height", "loading", "title", "srcset", "sizes"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"id", "lang"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# nh3 checks the schemes of src and href, not srcset's addresses or the values of the
# image attributes below: each is held to its own grammar, else dropped.
_CANDIDATE = re.compile(
    r"(?:https?://[^\s,/][^\s,]*|/(?!/)[^\s,]*) (?:[1-9]\d{0,4}w|\d(?:\.\d+)?x)"
)
_LENGTH = r"\d{1,4}(?:\.\d+)?(?:px|em|rem|vw)"
_SIZE = rf"(?:\((?:min|max)-width: ?{_LENGTH}\) )?{_LENGTH}"
_SIZES = re.compile(rf"{_SIZE}(?:, ?{_SIZE}){{0,5}}")
_IMAGE_VALUES = {
    "width": re.compile(r"[1-9]\d{0,4}"),
    "height": re.compile(r"[1-9]\d{0,4}"),
    "loading": re.compile(r"lazy|eager"),
    "sizes": _SIZES,
}


def _image_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag != "img":
        return value
    if attribute == "srcset":
        candidates = [c.strip() for c in value.split(",")]
        return value if all(_CANDIDATE.fullmatch(c) for c in candidates) else None
    pattern = _IMAGE_VALUES.get(attribute)
    if pattern is not None and not pattern.fullmatch(value.strip()):
        return None
    return value


def sanitise_html(html: str) -> str:
    """Strip everything not on the allowlist: scripts, event handlers, styles, javascript: URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_image_attribute,
    )
