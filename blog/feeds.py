"""RSS 2.0 and Atom feeds of articles, with full content and absolute URLs from SITE_URL."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category
from core.feeds import AtomFeed, RssFeed
from core.site import absolute_links, absolute_url


class ContentRssFeed(RssFeed):
    """RSS 2.0 with the full article in <content:encoded>, as feed readers expect."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class ContentAtomFeed(AtomFeed):
    """Atom with the full article as <content type="html"> and the standfirst as <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestArticlesFeed(Feed):
    feed_type = ContentRssFeed
    description_template = None

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return _("The latest articles from %(site)s.") % {"site": settings.SITE_NAME}

    def link(self, obj=None):
        return absolute_url(reverse("blog:home"))

    def feed_url(self, obj=None):
        return absolute_url(self.feed_path(obj))

    def feed_path(self, obj) -> str:
        return reverse("blog:article-feed")

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return self.articles(obj).for_listing()[: settings.FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst or item.description

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    def item_author_name(self, item):
        return item.author_name

    def item_author_link(self, item):
        return absolute_url(item.author_url) if item.author_url else None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        names = [tag.name for tag in item.tags.all()]
        if item.category:
            names.insert(0, item.category.name)
        return names

    def item_extra_kwargs(self, item):
        return {"content": absolute_links(item.body)}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = ContentAtomFeed
    subtitle = LatestArticlesFeed.description

    def feed_path(self, obj) -> str:
        return reverse("blog:article-feed-atom")


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        context = {"site": settings.SITE_NAME, "tag": obj.name}
        return _("%(site)s: articles tagged %(tag)s") % context

    def link(self, obj=None):
        return absolute_url(reverse("blog:tag-detail", args=[obj.slug]))

    def feed_path(self, obj) -> str:
        return reverse("blog:tag-feed", args=[obj.slug])

    def articles(self, obj):
        return Article.objects.published().tagged(obj)


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj=None):
        return _("%(site)s: %(category)s") % {"site": settings.SITE_NAME, "category": obj.name}

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_path(self, obj) -> str:
        return reverse("blog:category-feed", args=[obj.slug])

    def articles(self, obj):
        return Article.objects.published().filter(category=obj)


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, username):
        lookup = {f"user__{get_user_model().USERNAME_FIELD}": username}
        return get_object_or_404(AuthorProfile.objects.select_related("user"), **lookup)

    def title(self, obj=None):
        return _("%(site)s: articles by %(author)s") % {
            "site": settings.SITE_NAME,
            "author": obj.display_name,
        }

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_path(self, obj) -> str:
        return reverse("blog:author-feed", args=[obj.user.get_username()])

    def articles(self, obj):
        return Article.objects.published().filter(author_id=obj.user_id)
