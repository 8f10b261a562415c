"""Text search for any queryset: PostgreSQL full-text ranking, or word matching elsewhere.

This is the one vendor check for search; models name their searchable fields and weights.
"""

import re
from functools import reduce
from operator import and_, or_

from django.db import connections
from django.db.models import Q, QuerySet

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8


def search_words(query: str) -> list[str]:
    return re.findall(r"\w[\w'’-]*", query[:MAX_QUERY_LENGTH])[:MAX_WORDS]


def text_search(queryset: QuerySet, query: str, fields: dict[str, str]) -> QuerySet:
    """Rows of `queryset` matching every word of `query`, best first.

    `fields` maps field names to weights "A" (most important) to "D".
    """
    words = search_words(query)
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vectors = [
            SearchVector(name, weight=weight, config="english") for name, weight in fields.items()
        ]
        vector = reduce(lambda a, b: a + b, vectors)
        search_query = SearchQuery(" ".join(words), search_type="plain", config="english")
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=search_query)
            .annotate(search_rank=SearchRank(vector, search_query))
            .order_by("-search_rank", "-pk")
        )
    every_word = reduce(
        and_,
        (reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)) for word in words),
    )
    return queryset.filter(every_word)
