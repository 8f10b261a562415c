"""RSS feeds of approved comments: site-wide and per target. Absolute URLs; never an email."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, comment_feed_url, public_targets
from core.site import absolute_url


class LatestCommentsFeed(Feed):
    description_template = None

    def title(self, obj=None):
        return _("%(site)s: latest comments") % {"site": settings.SITE_NAME}

    def description(self, obj=None):
        return _("The latest readers' comments on %(site)s.") % {"site": settings.SITE_NAME}

    def link(self, obj=None):
        return absolute_url("/")

    def feed_url(self, obj=None):
        return absolute_url(reverse("comments:comment-feed"))

    def comments(self, obj):
        return Comment.objects.approved().on_public_targets()

    def items(self, obj=None):
        return (
            self.comments(obj)
            .for_display()
            .prefetch_related("target")
            .order_by("-created", "-pk")[: settings.FEED_ITEMS]
        )

    # Plain text: the feed generator escapes it for XML, once.
    def item_title(self, item):
        return _("%(name)s on %(title)s") % {"name": item.name, "title": str(item.target)}

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    def item_author_name(self, item):
        return item.name

    def item_pubdate(self, item):
        return item.created


class TargetCommentsFeed(LatestCommentsFeed):
    """Comments on one object; the URL pattern passes the model label as `target`."""

    def get_object(self, request, slug, target):
        try:
            targets = public_targets(target)
        except LookupError:
            raise Http404 from None
        return get_object_or_404(targets, slug=slug)

    def title(self, obj=None):
        return _("Comments on %(title)s") % {"title": str(obj)}

    def description(self, obj=None):
        return _("Readers' comments on %(title)s.") % {"title": str(obj)}

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute_url(comment_feed_url(obj))

    def items(self, obj=None):
        comments = list(
            Comment.objects.approved()
            .for_target(obj)
            .for_display()
            .order_by("-created", "-pk")[: settings.FEED_ITEMS]
        )
        for comment in comments:
            comment.target = obj  # known already: no query per comment
        return comments
