from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("share/mastodon/", views.share_mastodon, name="share-mastodon"),
    path("social/<slug:kind>/<slug:slug>.png", views.social_image, name="social-image"),
]
