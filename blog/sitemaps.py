from django.db.models import Max
from django.urls import reverse
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category, ResourcePack
from blog.registry import public_flat_pages
from core.sitemaps import HubSitemap, SiteUrlSitemap


def latest_article_change():
    latest = Article.objects.published().aggregate(
        published=Max("published_at"), updated=Max("updated_at")
    )
    return max(filter(None, latest.values()), default=None)


def latest_pack_change():
    return ResourcePack.objects.aggregate(latest=Max("updated_at"))["latest"]


class BlogHubSitemap(HubSitemap):
    hubs = (
        ("blog:home", latest_article_change),
        ("blog:article-list", latest_article_change),
        ("blog:resourcepack-list", latest_pack_change),
    )


class ArticleSitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().only("slug", "updated_at", "published_at")

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class TagSitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Tag.objects.filter(
                blog_taggedarticle_items__content_object__in=Article.objects.published()
            )
            .annotate(latest=Max("blog_taggedarticle_items__content_object__published_at"))
            .order_by("name")
        )

    def location(self, item):
        return reverse("blog:tag-detail", args=[item.slug])

    def lastmod(self, item):
        return item.latest


class CategorySitemap(SiteUrlSitemap):
    def items(self):
        return (
            Category.objects.filter(articles__in=Article.objects.published())
            .annotate(latest=Max("articles__published_at"))
            .order_by("name")
        )

    def lastmod(self, item):
        return item.latest


class AuthorSitemap(SiteUrlSitemap):
    def items(self):
        return (
            AuthorProfile.objects.filter(user__articles__in=Article.objects.published())
            .select_related("user")
            .annotate(latest=Max("user__articles__published_at"))
            .order_by("display_name")
        )

    def lastmod(self, item):
        return item.latest


class ResourcePackSitemap(SiteUrlSitemap):
    def items(self):
        return ResourcePack.objects.all()

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(SiteUrlSitemap):
    def items(self):
        return public_flat_pages()

    def location(self, item):
        return item.url


sitemaps = {
    "hubs": BlogHubSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "categories": CategorySitemap,
    "authors": AuthorSitemap,
    "resources": ResourcePackSitemap,
    "pages": PageSitemap,
}
