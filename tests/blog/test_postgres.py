import pytest
from django.db import connection

from blog.models import Article
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_public_listing_query_can_use_the_status_and_date_index():
    ArticleFactory.create_batch(3, published=True)
    sql, params = Article.objects.published().order_by("-published_at").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "article_public_idx" in plan
