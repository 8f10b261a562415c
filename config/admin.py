"""The admin site: a throttled login form and a dashboard on the index page.

The dashboard reads blog, comments and subscriptions only when those apps are installed
and the user may see them; each panel costs a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse

from config.auth import ThrottledAdminAuthenticationForm

DASHBOARD_ROWS = 8


@dataclass
class Dashboard:
    review: list = field(default_factory=list)
    review_count: int = 0
    scheduled: list = field(default_factory=list)
    scheduled_count: int = 0
    show_articles: bool = False
    pending_comments: list = field(default_factory=list)
    pending_comment_count: int = 0
    show_comments: bool = False
    digest: object = None
    digest_statuses: list = field(default_factory=list)
    show_digest: bool = False


def dashboard_for(request: HttpRequest) -> Dashboard:
    """What is waiting for the user: articles to review, scheduled, comments, last digest."""
    user = request.user
    dashboard = Dashboard()
    if user.has_perm("blog.view_article"):
        from blog.models import Article

        articles = Article.objects.editable_by(user)
        listed = articles.select_related("author").only(
            "title", "status", "published_at", "updated_at", "author__username"
        )
        dashboard.show_articles = True
        dashboard.review_count = articles.in_review().count()
        dashboard.scheduled_count = articles.scheduled().count()
        dashboard.review = list(listed.in_review().order_by("-updated_at")[:DASHBOARD_ROWS])
        dashboard.scheduled = list(listed.scheduled().order_by("published_at")[:DASHBOARD_ROWS])
    if apps.is_installed("comments") and user.has_perm("comments.view_comment"):
        from comments.models import Comment

        pending = Comment.objects.filter(status=Comment.Status.PENDING)
        dashboard.show_comments = True
        dashboard.pending_comment_count = pending.count()
        dashboard.pending_comments = list(
            pending.only("pk", "name", "body", "created").order_by("-created")[:DASHBOARD_ROWS]
        )
    if apps.is_installed("subscriptions") and user.has_perm("subscriptions.view_delivery"):
        try:
            from subscriptions.models import Delivery, Digest
        except ImportError:
            Delivery = Digest = None
        if Digest is not None:
            dashboard.show_digest = True
            dashboard.digest = Digest.objects.order_by("-until", "-pk").first()
            if dashboard.digest is not None:
                dashboard.digest_statuses = [
                    (Delivery.Status(row["status"]).label, row["n"])
                    for row in Delivery.objects.filter(digest=dashboard.digest)
                    .values("status")
                    .annotate(n=Count("pk"))
                    .order_by("status")
                ]
    return dashboard


class OversightAdminSite(admin.AdminSite):
    login_form = ThrottledAdminAuthenticationForm

    def index(self, request, extra_context=None):
        context = {"dashboard": dashboard_for(request), **(extra_context or {})}
        return super().index(request, context)


# The one inline stylesheet the article editor injects (Tiptap's base styles, from
# django-prose-editor 0.28.0). Allowed by its hash on admin pages only; the rest of the
# site keeps style-src 'self'. tests/browser/test_admin_workflow.py fails on any CSP
# violation, so an upgrade that changes the stylesheet shows up there.
EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def admin_csp_middleware(get_response):
    """Let admin pages run the WYSIWYG editor's own stylesheet; below CSPMiddleware."""
    admin_prefix = None

    def middleware(request):
        nonlocal admin_prefix
        response = get_response(request)
        if admin_prefix is None:
            admin_prefix = reverse("admin:index")
        if request.path.startswith(admin_prefix):
            update = getattr(response, "_csp_update", None) or {}
            update["style-src"] = [*update.get("style-src", []), EDITOR_STYLE_HASH]
            response._csp_update = update
        return response

    return middleware
