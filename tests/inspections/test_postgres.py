import datetime
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from inspections.models import Inspection
from tests.inspections.factories import InspectionFactory, ScoreFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_newest_first_listing_can_use_the_published_on_index():
    for n in range(3):
        InspectionFactory(published_on=datetime.date(2016, 1, 1) + datetime.timedelta(days=n))
    sql, params = Inspection.objects.newest_first()[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "inspection_published_idx" in plan


@pytest.mark.parametrize(
    "value, error", [("100.5", IntegrityError), ("-1", IntegrityError), ("1000", DataError)]
)
def test_postgres_refuses_out_of_range_percentages(value, error):
    with pytest.raises(error), transaction.atomic():
        ScoreFactory(percentage=Decimal(value))
