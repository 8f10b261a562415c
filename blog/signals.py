from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from blog.models import FEATURED_PACK_CACHE_KEY, ResourcePack, ResourcePackItem


def forget_featured_pack(**kwargs):
    transaction.on_commit(lambda: cache.delete(FEATURED_PACK_CACHE_KEY))


def connect():
    for model in (ResourcePack, ResourcePackItem):
        post_save.connect(forget_featured_pack, sender=model, dispatch_uid=f"pack-save-{model}")
        post_delete.connect(forget_featured_pack, sender=model, dispatch_uid=f"pack-del-{model}")
