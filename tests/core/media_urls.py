"""The site's URLs with uploads served by Django, as SERVE_MEDIA=1 configures them."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from core.views import media

urlpatterns = [path("media/<path:path>", media, name="media"), *site_urlpatterns]
