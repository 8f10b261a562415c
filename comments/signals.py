from comments.models import Comment
from core.pagecache import bump_on_change


def connect():
    # An approved (or removed) comment shows in its thread, counts and feeds.
    bump_on_change(Comment, uid="comments")
