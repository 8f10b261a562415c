"""The words inspectorates' rating scales use, so that the Welsh interface can say them.

A rating level's label is the inspectorate's own word, stored as data. The common ones are
listed here (context "rating") so that `makemessages` puts them in the catalogue; templates
show a level with `{% translate level.label context "rating" %}`, which gives the Welsh word
the inspectorates use where there is one and the stored word where there is not.
"""

from django.utils.translation import pgettext, pgettext_lazy

RATING_WORDS = (
    pgettext_lazy("rating", "Outstanding"),
    pgettext_lazy("rating", "Good"),
    pgettext_lazy("rating", "Requires improvement"),
    pgettext_lazy("rating", "Inadequate"),
    pgettext_lazy("rating", "Exceptional"),
    pgettext_lazy("rating", "Strong standard"),
    pgettext_lazy("rating", "Expected standard"),
    pgettext_lazy("rating", "Reasonably good"),
    pgettext_lazy("rating", "Not sufficiently good"),
    pgettext_lazy("rating", "Needs attention"),
    pgettext_lazy("rating", "Poor"),
    pgettext_lazy("rating", "Urgent improvement"),
    pgettext_lazy("rating", "Met"),
    pgettext_lazy("rating", "Not met"),
)


def rating_word(label: str) -> str:
    """A rating level's label in the interface's language (as stored when not in the catalogue)."""
    return pgettext("rating", label)
