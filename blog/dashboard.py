"""The blog's chart on the admin index: articles published per month."""

from django.urls import reverse
from django.utils.translation import gettext as _

from blog.models import Article
from core.dashboard import Chart, Series, monthly_counts, register_chart


def articles_chart(request) -> Chart | None:
    if not request.user.has_perm("blog.view_article"):
        return None
    link = reverse("admin:blog_article_changelist") + "?status__exact=published"
    counts = monthly_counts(Article.objects.published(), "published_at")
    return Chart(
        title=_("Articles published per month"),
        period="month",
        series=[Series(_("Published"), counts, link=link, date_field="published_at")],
    )


def register() -> None:
    register_chart("blog-articles", build=articles_chart, order=10)
