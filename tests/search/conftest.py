import pytest


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """`with indexed():` around changes: the search index updates as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def search(client):
    """The search page's HTML for `q` (and any other parameters), asserting a 200."""

    def get(q: str, **params) -> str:
        response = client.get("/search/", {"q": q, **params})
        assert response.status_code == 200
        return response.content.decode()

    return get
