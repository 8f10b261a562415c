from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.static import serve

from blog.sitemaps import sitemaps as blog_sitemaps
from inspections.sitemaps import sitemaps as inspection_sitemaps

sitemaps = {**blog_sitemaps, **inspection_sitemaps}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "sitemap.xml",
        cache_page(60 * 15)(sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("inspections/", include("inspections.urls")),
    path("", include("comments.urls")),  # before blog: /articles/<slug>/comments/feed/
    path("subscribe/", include("subscriptions.urls")),
    path("", include("core.urls")),
    path("", include("blog.urls")),  # last: it ends with the /<slug>/ legacy catch-all
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
