from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import set_language

from core import views as core_views
from core.content import registry
from core.csrf import same_origin_post
from core.sitemaps import sitemap_or_index, sitemap_section

handler500 = "core.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switcher is on every page: checked by origin, not by a token cookie.
    path("i18n/setlang/", same_origin_post(set_language), name="set_language"),
    path(
        "sitemap.xml",
        cache_page(60 * 15)(sitemap_or_index),
        {"sitemaps": registry.sitemaps(), "section_url_name": "sitemap-section"},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_page(60 * 15)(sitemap_section),
        {"sitemaps": registry.sitemaps()},
        name="sitemap-section",
    ),
    path("inspections/", include("inspections.urls")),
    # Plug-ins, each only when installed. Before blog: comment feeds live under /articles/.
    *(
        path(prefix, include(f"{app}.urls"))
        for app, prefix in [
            ("comments", ""),
            ("subscriptions", "subscribe/"),
            ("privacy", "privacy/"),  # before blog's /<slug>/, which served a flat page here
            ("search", "search/"),
            ("sharing", ""),
        ]
        if apps.is_installed(app)
    ),
    # The subscriptions plug-in's public archive of sent digests.
    *(
        [path("newsletter/", include("subscriptions.newsletter_urls"))]
        if apps.is_installed("subscriptions")
        else []
    ),
    path("", include("core.urls")),
    path("", include("blog.urls")),  # last: it ends with the /<slug>/ legacy catch-all
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, path("media/<path:path>", core_views.media, name="media"))
