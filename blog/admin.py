from collections import defaultdict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from js_asset import Media
from taggit.models import Tag

from blog.forms import ArticleAdminForm, CategoryActionForm, CategoryChoiceForm
from blog.models import (
    Article,
    ArticleVersion,
    AuthorProfile,
    Category,
    ResourcePack,
    ResourcePackItem,
    TaggedArticle,
)
from blog.preview import preview_token
from blog.services import (
    article_publish,
    article_save,
    article_set_category,
    article_unpublish,
    article_version_restore,
)
from core.dashboard import head_and_count, register_panel

# The one inline stylesheet the article editor injects (Tiptap's base styles, from
# django-prose-editor 0.28.0). Allowed by its hash on the pages that show the editor only;
# every other page keeps style-src 'self'. tests/browser/test_admin_workflow.py fails on any
# CSP violation, so an upgrade that changes the stylesheet shows up there.
EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user"]
    search_fields = ["display_name", "user__username"]
    list_select_related = ["user"]


MEDIA_PER_PAGE = 48


class TagListFilter(admin.SimpleListFilter):
    title = _("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        used = TaggedArticle.objects.values("tag_id")
        return Tag.objects.filter(pk__in=used).order_by("name").values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    action_form = CategoryActionForm
    list_display = ["title", "author", "category", "status", "published_at", "public_state"]
    list_filter = [
        "status",
        ("author", admin.RelatedOnlyFieldListFilter),
        "category",
        TagListFilter,
        "published_at",
    ]
    list_select_related = ["author", "category"]
    list_per_page = 50
    search_fields = ["title", "standfirst", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["category", "related_inspections"]
    actions = ["publish", "unpublish", "change_category"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "standfirst", "body"]}),
        (
            _("Featured image"),
            {
                "fields": [
                    "featured_image",
                    "library_image",
                    "featured_image_alt",
                    "featured_image_caption",
                    "featured_image_credit",
                ]
            },
        ),
        (_("Filing"), {"fields": ["category", "tags", "related_inspections"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "comments_open"]}),
        (_("Search and sharing"), {"fields": ["meta_description"]}),
    ]

    @admin.display(description=_("on the site"))
    def public_state(self, article):
        if article.is_published:
            return _("Live")
        if article.is_scheduled:
            return _("Scheduled")
        return _("Not public")

    # Roles: editors hold blog.change_any_article and blog.publish_article; authors hold
    # neither, so they see and change only their own unpublished articles.

    @staticmethod
    def can_publish(request) -> bool:
        return request.user.has_perm("blog.publish_article")

    def has_publish_permission(self, request):
        return self.can_publish(request)

    def get_queryset(self, request):
        return Article.objects.editable_by(request.user).select_related("author", "category")

    def get_object(self, request, object_id, from_field=None):
        # Looked up among all articles, so another author's article answers 403 (by the
        # permission checks below) rather than "does not exist".
        model = self.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            return model._default_manager.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None

    def _owns(self, request, obj) -> bool:
        return obj is None or obj.is_editable_by(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        if not (super().has_change_permission(request, obj) and self._owns(request, obj)):
            return False
        # What is on the site (or scheduled) changes only through an editor.
        return obj is None or self.can_publish(request) or obj.status != Article.Status.PUBLISHED

    def has_delete_permission(self, request, obj=None):
        if not (super().has_delete_permission(request, obj) and self._owns(request, obj)):
            return False
        return obj is None or self.can_publish(request) or obj.status != Article.Status.PUBLISHED

    def get_readonly_fields(self, request, obj=None):
        if self.can_publish(request):
            return []
        return ["author", "published_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"can_publish": self.can_publish(request)})

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor loads as ES modules through an inline import map: give every tag the
        # CSP nonce, so the admin keeps the site's strict script-src.
        context["media"] = Media.from_media(
            context["media"], nonce=getattr(request, "csp_nonce", "")
        )
        response = super().render_change_form(request, context, *args, **kwargs)
        if "body" not in context["adminform"].readonly_fields:  # view-only pages lack it
            response._csp_update = {"style-src": [EDITOR_STYLE_HASH]}
        return response

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    def save_model(self, request, obj, form, change):
        if not change and not obj.author_id:
            obj.author = request.user
        article_save(article=obj, user=request.user, changed_fields=form.changed_data)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if str(object_id).isdigit():
            extra_context["preview_url"] = reverse(
                "blog:article-preview", kwargs={"token": preview_token(object_id)}
            )
            extra_context["versions_url"] = reverse(
                "admin:blog_article_versions", kwargs={"object_id": object_id}
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # Bulk actions, each through a service.

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        count = article_publish(articles=queryset)
        self.message_user(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = article_unpublish(articles=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d article taken off the site.",
                "%(count)d articles taken off the site.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Change category of selected articles"), permissions=["publish"])
    def change_category(self, request, queryset):
        form = CategoryChoiceForm(request.POST)
        category = form.cleaned_data["category"] if form.is_valid() else None
        if category is None:
            self.message_user(request, _("Choose a category to move them to."), messages.ERROR)
            return
        count = article_set_category(articles=queryset, category=category)
        self.message_user(
            request,
            ngettext(
                "%(count)d article moved to %(category)s.",
                "%(count)d articles moved to %(category)s.",
                count,
            )
            % {"count": count, "category": category},
            messages.SUCCESS,
        )

    # The audit trail: earlier versions of the text, and restoring one.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("media/", view(self.media_library_view), name="blog_article_media"),
            path(
                "<path:object_id>/versions/",
                view(self.versions_view),
                name="blog_article_versions",
            ),
            path(
                "<path:object_id>/versions/<int:version_id>/restore/",
                view(self.restore_view),
                name="blog_article_version_restore",
            ),
            *super().get_urls(),
        ]

    def _article_or_deny(self, request, object_id, change=False):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, article)
            if change
            else self.has_view_or_change_permission(request, article)
        )
        if not allowed:
            raise PermissionDenied
        return article

    def media_library_view(self, request):
        """Featured images in use: search them, see where each is used, reuse one."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        articles = self.get_queryset(request)
        search = request.GET.get("q", "").strip()
        page = Paginator(articles.image_library(search), MEDIA_PER_PAGE).get_page(
            request.GET.get("page")
        )
        names = [row["featured_image"] for row in page.object_list]
        used_in = defaultdict(list)
        for name, pk, title in articles.filter(featured_image__in=names).values_list(
            "featured_image", "pk", "title"
        ):
            used_in[name].append((pk, title))
        storage = Article._meta.get_field("featured_image").storage
        images = [
            {
                **row,
                "url": storage.url(row["featured_image"]),
                "used_in": used_in[row["featured_image"]],
            }
            for row in page.object_list
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Media library"),
            "images": images,
            "page_obj": page,
            "search": search,
            "can_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/blog/article/media_library.html", context)

    def versions_view(self, request, object_id):
        article = self._article_or_deny(request, object_id)
        versions = article.versions.select_related("created_by")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Versions of “%(title)s”") % {"title": article.title},
            "article": article,
            "versions": versions,
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/blog/article/versions.html", context)

    def restore_view(self, request, object_id, version_id):
        article = self._article_or_deny(request, object_id, change=True)
        version = get_object_or_404(ArticleVersion, pk=version_id, article=article)
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Restore this version?"),
                "article": article,
                "version": version,
            }
            return TemplateResponse(request, "admin/blog/article/version_restore.html", context)
        article_version_restore(version=version, user=request.user)
        self.message_user(request, _("The version was restored."), messages.SUCCESS)
        return redirect("admin:blog_article_change", object_id=article.pk)


class ResourcePackItemInline(admin.TabularInline):
    model = ResourcePackItem
    extra = 1
    raw_id_fields = ["article"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ResourcePack)
class ResourcePackAdmin(admin.ModelAdmin):
    list_display = ["title", "is_featured", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ResourcePackItemInline]


def article_panel(request) -> dict | None:
    """Drafts waiting for review and scheduled articles, among those the user may open."""
    user = request.user
    if not user.has_perm("blog.view_article"):
        return None
    articles = (
        Article.objects.editable_by(user)
        .select_related("author")
        .only("title", "status", "published_at", "updated_at", "author__username")
    )
    review, review_count = head_and_count(articles.in_review().order_by("-updated_at"))
    scheduled, scheduled_count = head_and_count(articles.scheduled().order_by("published_at"))
    return {
        "review": review,
        "review_count": review_count,
        "scheduled": scheduled,
        "scheduled_count": scheduled_count,
    }


register_panel(
    "blog-articles", build=article_panel, template="admin/blog/_dashboard_panel.html", order=10
)
