"""What search attaches to every page: the header's search box and the OpenSearch link."""

from django.conf import settings
from django.template.loader import render_to_string


def opensearch_link(context, obj=None, **options) -> str:
    return render_to_string("search/_opensearch_link.html", {"site_name": settings.SITE_NAME})


def header_form(context, obj=None, **options) -> str:
    return render_to_string("search/_header_form.html")
