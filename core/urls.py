from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("share/mastodon/", views.share_mastodon, name="share-mastodon"),
    path("social/<slug:kind>/<slug:slug>.png", views.social_image, name="social-image"),
]
