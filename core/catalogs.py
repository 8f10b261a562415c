"""Translation catalogs without dead links: each message looked up once, not nine times.

For a language with a region ("en-gb"), Python's gettext loads each app's `en_GB` catalog
with its `en` catalog as a fallback, and Django chains every one of those fallbacks behind
the merged catalog. Django's own `en` catalogs hold only their header, so a message the
site does not translate (most English ones) walked eight empty catalogs on every
`{% translate %}` and gettext call. `drop_empty_fallbacks` unlinks the fallbacks that hold
nothing but the header. And Django keeps one dictionary per app catalog whose plural formula
is written differently ("n != 1", "(n != 1)"), trying each in turn with an exception per
miss; `merge_equivalent_catalogs` joins neighbours whose formulas give the same form for
every n up to PLURAL_CHECK. Lookups give the same answers (tests/core/test_catalogs.py).
"""

from django.conf import settings
from django.utils.translation import trans_real


def _empty(translation) -> bool:
    """A plain catalog (not Django's merged one) holding only its header ("")."""
    catalog = getattr(translation, "_catalog", None)
    return (
        not isinstance(translation, trans_real.DjangoTranslation)
        and isinstance(catalog, dict)
        and set(catalog) <= {""}
    )


def drop_empty_fallbacks(translation) -> int:
    """Unlink the header-only catalogs from `translation`'s fallback chain; how many."""
    dropped = 0
    node = translation
    while node is not None:
        following = getattr(node, "_fallback", None)
        while following is not None and _empty(following):
            following = getattr(following, "_fallback", None)
            dropped += 1
        if following is not getattr(node, "_fallback", None):
            node._fallback = following
        node = following
    return dropped


PLURAL_CHECK = 2_000  # gettext formulas compare n, n % 10 and n % 100 with small numbers


def _same_plural(first, second) -> bool:
    try:
        return all(first(n) == second(n) for n in range(PLURAL_CHECK))
    except Exception:  # a formula that fails for some n: leave the catalogs apart
        return False


def merge_equivalent_catalogs(translation) -> int:
    """Join neighbouring catalogs of `translation` with equivalent plural formulas (the
    earlier one's entries win, as in the lookup order); how many dictionaries went."""
    catalog = getattr(translation, "_catalog", None)
    catalogs, plurals = getattr(catalog, "_catalogs", None), getattr(catalog, "_plurals", None)
    if not catalogs or plurals is None or len(catalogs) != len(plurals):
        return 0
    merged, merged_plurals = [], []
    for entries, plural in zip(catalogs, plurals, strict=True):
        if merged and _same_plural(merged_plurals[-1], plural):
            merged[-1] = {**entries, **merged[-1]}
        else:
            merged.append(dict(entries))
            merged_plurals.append(plural)
    catalog._catalogs, catalog._plurals = merged, merged_plurals
    return len(catalogs) - len(merged)


def load_lean_catalogs() -> None:
    """Load each site language's catalog once per process, lean."""
    for code, _name in settings.LANGUAGES:
        translation = trans_real.translation(code)
        node = translation
        while node is not None:  # Welsh falls back to English (a DjangoTranslation too)
            if isinstance(node, trans_real.DjangoTranslation):
                merge_equivalent_catalogs(node)
            node = getattr(node, "_fallback", None)
        drop_empty_fallbacks(translation)
