"""The site's URLs plus the framework floor: a one-line Django view served by the same
processes, settings and middleware, so every load figure can be given as a ratio to it."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("bench/hello/", hello), *site_urlpatterns]
