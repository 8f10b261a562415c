"""Signed, expiring addresses for previewing an article that is not public yet."""

from django.core import signing
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from blog.models import Article
from blog.sanitise import sanitise_html

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


def preview_render(request, form) -> str:
    """The article as a valid, unsaved admin form describes it, rendered in the reader's
    template. Nothing is written: the instance, its tags and inspections stay in memory."""
    article = form.save(commit=False)
    article.body = sanitise_html(article.body)
    article.reading_time = article.compute_reading_time()
    if not article.author_id:
        article.author = request.user  # as ArticleAdmin.save_model does for a new article
    now = timezone.now()
    if article.published_at is None:
        article.published_at = now  # shown as if published now
    article.updated_at = article.updated_at or now
    article.created_at = article.created_at or now
    if {"featured_image", "library_image"} & set(form.changed_data):
        article.featured_image_renditions = {}  # another image: its original alone
    if article.pk is None:
        # Related managers refuse an instance without a key; 0 is never a stored article,
        # and the preview is never saved.
        article.pk = 0
    names = form.cleaned_data.get("tags", [])
    known = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    tags = [known.get(name) or Tag(name=name, slug=slugify(name)) for name in names]
    inspections = list(form.cleaned_data.get("related_inspections", []))
    article._prefetched_objects_cache = {"tags": tags, "related_inspections": inspections}
    context = {
        "article": article,
        "related_articles": Article.objects.related_to(article) if known else [],
        "previous_article": None,
        "next_article": None,
        "is_preview": True,
    }
    return render_to_string("blog/article_detail.html", context, request=request)
