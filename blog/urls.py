from django.contrib.flatpages.views import flatpage
from django.urls import path, re_path, register_converter

from blog import feeds, views


class UsernameConverter:
    """What Django's username validator allows (letters, digits and @.+-_), nothing else:
    a NUL byte or a slash never reaches the database."""

    regex = r"[\w.@+-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UsernameConverter, "username")

app_name = "blog"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<int:year>/", views.archive_year, name="article-archive-year"),
    path("articles/<int:year>/<int:month>/", views.archive_month, name="article-archive-month"),
    path("articles/preview/<str:token>/", views.article_preview, name="article-preview"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("articles/<slug:slug>/print/", views.article_print, name="article-print"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag-detail"),
    path("tags/<slug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("categories/<slug:slug>/", views.category_detail, name="category-detail"),
    path("categories/<slug:slug>/feed/", feeds.CategoryFeed(), name="category-feed"),
    path("authors/<username:username>/", views.author_detail, name="author-detail"),
    path("authors/<username:username>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("feed/", feeds.LatestArticlesFeed(), name="article-feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="article-feed-atom"),
    path("resources/", views.resourcepack_list, name="resourcepack-list"),
    path("resources/<slug:slug>/", views.resourcepack_detail, name="resourcepack-detail"),
    # Old WordPress addresses at the site root; config/urls.py includes this app last.
    path("<slug:slug>/", views.legacy_redirect, name="legacy-redirect"),
    # Flat pages below another (imported WordPress pages keep their hierarchy: /about/team/).
    re_path(r"^(?P<url>(?:[-\w]+/){2,})$", flatpage, name="flatpage"),
]
