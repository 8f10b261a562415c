from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from blog.images import article_images_sync, images_release
from blog.models import (
    FEATURED_PACK_CACHE_KEY,
    Article,
    ArticleAutosave,
    ArticleVersion,
    ResourcePack,
    ResourcePackItem,
)
from core.pagecache import bump_on_change, content_changed, register_next_change

# What a page shows of an author's account: their name (when their profile gives none).
AUTHOR_FIELDS = {"first_name", "last_name", "username"}


def author_account_changed(sender, instance, update_fields=None, **kwargs):
    """A new content version when an account's shown name may have changed; not when a
    sign-in stamps `last_login`, which saves that field alone."""
    if update_fields is None or AUTHOR_FIELDS & set(update_fields):
        content_changed()


def forget_featured_pack(**kwargs):
    transaction.on_commit(lambda: cache.delete(FEATURED_PACK_CACHE_KEY))


def sync_images(sender, instance, raw=False, **kwargs):
    # The media library's index of which article shows which image, like a search index.
    if not raw:
        article_images_sync(article=instance)


def note_images(sender, instance, **kwargs):
    instance._shown_images = list(instance.image_uses.values_list("image_id", flat=True))


def release_images(sender, instance, **kwargs):
    ids = getattr(instance, "_shown_images", [])
    if ids:
        transaction.on_commit(lambda: images_release(ids=ids))


def connect():
    # Every page may show an article, a pack, a category, an author or a flat page.
    # Never shown to readers: an editor's autosaved form (written every few idle seconds
    # while they type) and the versions kept of each save, which comes with its own bump.
    unseen = {ArticleAutosave, ArticleVersion}
    shown = [model for model in apps.get_app_config("blog").get_models() if model not in unseen]
    bump_on_change(*shown, FlatPage, uid="blog")
    bump_on_change(apps.get_model("taggit", "Tag"), uid="blog")
    post_save.connect(
        author_account_changed, sender=get_user_model(), dispatch_uid="blog-author-account"
    )
    register_next_change(Article.objects.next_publication_at)
    post_save.connect(sync_images, sender=Article, dispatch_uid="article-images")
    pre_delete.connect(note_images, sender=Article, dispatch_uid="article-images-note")
    post_delete.connect(release_images, sender=Article, dispatch_uid="article-images-release")
    for model in (ResourcePack, ResourcePackItem):
        post_save.connect(forget_featured_pack, sender=model, dispatch_uid=f"pack-save-{model}")
        post_delete.connect(forget_featured_pack, sender=model, dispatch_uid=f"pack-del-{model}")
