from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from blog.models import (
    CONTENT_VERSION_CACHE_KEY,
    FEATURED_PACK_CACHE_KEY,
    Article,
    ResourcePack,
    ResourcePackItem,
)


def forget_featured_pack(**kwargs):
    transaction.on_commit(lambda: cache.delete(FEATURED_PACK_CACHE_KEY))


def bump_content_version(**kwargs):
    transaction.on_commit(lambda: cache.delete(CONTENT_VERSION_CACHE_KEY))


def connect():
    post_save.connect(bump_content_version, sender=Article, dispatch_uid="article-save")
    post_delete.connect(bump_content_version, sender=Article, dispatch_uid="article-delete")
    m2m_changed.connect(
        bump_content_version, sender=Article.tags.through, dispatch_uid="article-tags"
    )
    for model in (ResourcePack, ResourcePackItem):
        post_save.connect(forget_featured_pack, sender=model, dispatch_uid=f"pack-save-{model}")
        post_delete.connect(forget_featured_pack, sender=model, dispatch_uid=f"pack-del-{model}")
