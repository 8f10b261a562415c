"""Lean translation catalogs (core/catalogs.py) answer exactly as Django's own would."""

import pytest
from django.utils.translation import trans_real

from core.catalogs import drop_empty_fallbacks, load_lean_catalogs, merge_equivalent_catalogs


def chain(translation) -> list:
    nodes = []
    while translation is not None:
        nodes.append(translation)
        translation = getattr(translation, "_fallback", None)
    return nodes


def every_message(translation) -> tuple[set[str], set[str]]:
    """Every singular msgid and plural msgid in the translation and its fallbacks."""
    singular, plural = set(), set()
    for node in chain(translation):
        catalog = node._catalog
        for entries in getattr(catalog, "_catalogs", [catalog]):
            for key in entries:
                if isinstance(key, tuple):
                    plural.add(key[0])
                elif key:
                    singular.add(key)
    return singular, plural


def dictionaries(translation) -> int:
    """How many dictionaries a message that is in none of them is looked up in."""
    return sum(len(getattr(node._catalog, "_catalogs", [0])) for node in chain(translation))


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_lean_catalogs_translate_every_message_as_django_does(language, monkeypatch):
    monkeypatch.setattr(trans_real, "_translations", {})  # Django's own, English included
    django_own = trans_real.DjangoTranslation(language)
    monkeypatch.setattr(trans_real, "_translations", {})
    lean = trans_real.DjangoTranslation(language)
    for node in chain(lean):
        if isinstance(node, trans_real.DjangoTranslation):
            merge_equivalent_catalogs(node)
    drop_empty_fallbacks(lean)

    assert dictionaries(lean) < dictionaries(django_own)
    singular, plural = every_message(django_own)
    assert len(singular) > 100
    missing = "A sentence no catalogue holds"
    for message in [*singular, missing]:
        assert lean.gettext(message) == django_own.gettext(message), message
    for message in plural:
        for n in range(30):
            assert lean.ngettext(message, message, n) == django_own.ngettext(message, message, n), (
                message,
                n,
            )


def test_english_lookups_no_longer_walk_empty_catalogues():
    load_lean_catalogs()
    english = trans_real.translation("en-gb")
    assert len(chain(english)) == 1  # eight header-only `en` catalogues were chained behind
    assert len(english._catalog._catalogs) == 1  # nine dicts, one plural rule
    welsh = trans_real.translation("cy")
    assert chain(welsh)[1] is english


def test_catalogues_with_different_plural_rules_stay_apart():
    class Catalogue:
        def __init__(self, entries, plurals):
            self._catalogs, self._plurals = entries, plurals

    class Translation:
        def __init__(self, catalogue):
            self._catalog = catalogue

    welsh_rule = lambda n: 0 if n == 0 else 1 if n == 1 else 2  # noqa: E731
    english_rule = lambda n: int(n != 1)  # noqa: E731
    english_again = lambda n: 0 if n == 1 else 1  # noqa: E731
    translation = Translation(
        Catalogue(
            [{"a": "welsh"}, {"a": "first", "b": "first"}, {"b": "second", "c": "second"}],
            [welsh_rule, english_rule, english_again],
        )
    )
    assert merge_equivalent_catalogs(translation) == 1
    assert translation._catalog._catalogs == [
        {"a": "welsh"},
        {"a": "first", "b": "first", "c": "second"},  # the earlier catalogue wins
    ]
