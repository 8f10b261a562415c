from django.db.models.signals import post_delete, post_save

from comments.models import Comment
from core.pagecache import content_changed


def comment_saved(sender, instance, created, **kwargs):
    """Pages show approved comments only: a new comment held for moderation or caught as spam
    (which anyone may post, as often as the rate limit allows) leaves every page as it was.
    Any change to an existing one may change what a page shows (its words, its status)."""
    if not created or instance.status == Comment.Status.APPROVED:
        content_changed()


def comment_deleted(sender, instance, **kwargs):
    if instance.status == Comment.Status.APPROVED:
        content_changed()


def connect():
    # An approved (or removed) comment shows in its thread, counts and feeds. The services'
    # queryset updates (moderation, erasure, imports) start a new version themselves.
    post_save.connect(comment_saved, sender=Comment, dispatch_uid="comments-shown-save")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="comments-shown-delete")
