"""Signed, expiring addresses for previewing an article that is not public yet."""

from django.core import signing

PREVIEW_SALT = "blog.article.preview"
PREVIEW_MAX_AGE = 60 * 60 * 24  # seconds; the admin hands out a fresh link on every visit


def preview_token(article_pk: int | str) -> str:
    """A token naming the article, signed with SECRET_KEY and dated."""
    return signing.dumps(int(article_pk), salt=PREVIEW_SALT, compress=True)


def preview_article_pk(token: str) -> int | None:
    """The article named by a valid, unexpired token, else None."""
    try:
        pk = signing.loads(token, salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None
