import pytest

from subscriptions import emails


@pytest.fixture(autouse=True)
def _fresh_render_cache():
    """Emails rendered in one test are not reused by the next (ids recur across tests)."""
    emails._rendered.clear()
    yield
    emails._rendered.clear()
