from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    """Plug-in: readers' comments on every commentable kind in the content registry."""

    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from comments import dashboard, signals, slots
        from comments.forms import restamp
        from comments.models import next_comments_closing
        from comments.registry import PERSONAL_DATA
        from comments.views import REMEMBER_COOKIE
        from core.content import registry
        from core.pagecache import bypass_cookie, register_next_change, register_refresher
        from core.personal_data import register_personal_data
        from core.roles import EDITOR, MODERATOR, role_grant
        from core.slots import register_slot

        role_grant(EDITOR, "comments")
        # A page shows its comment form until comments close by age: a new page version then.
        register_next_change(next_comments_closing)
        role_grant(MODERATOR, "comments")

        register_slot("after-content", "comments-section", slots.section)
        register_slot("feeds", "comments-feed", slots.feed_link)
        register_slot("card-meta", "comments-count", slots.card_count)
        registry.register_listing_annotation("comment_count", slots.annotate_counts)
        register_personal_data(PERSONAL_DATA)
        dashboard.register()
        signals.connect()
        # A remembered commenter's page fills in their name: never a shared one.
        bypass_cookie(REMEMBER_COOKIE)
        register_refresher(restamp)
