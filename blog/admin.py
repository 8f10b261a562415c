from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from js_asset import Media
from taggit.models import Tag

from blog import media_library
from blog.forms import ArticleAdminForm, CategoryActionForm, CategoryChoiceForm
from blog.history import field_labels, version_changes
from blog.models import (
    Article,
    ArticleAutosave,
    ArticleVersion,
    AuthorProfile,
    Category,
    ResourcePack,
    ResourcePackItem,
    TaggedArticle,
)
from blog.preview import preview_render, preview_token
from blog.services import (
    RESTORE_KEEPS,
    article_autosave_discard,
    article_autosave_put,
    article_publish,
    article_save,
    article_set_category,
    article_unpublish,
    article_version_record,
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


VERSIONS_PER_PAGE = 50
# Form fields never kept in an autosave: the CSRF token and files (an upload is not text).
AUTOSAVE_SKIP = {"csrfmiddlewaretoken", "featured_image", "featured_image-clear"}
AUTOSAVE_MAX_BYTES = 2_000_000


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
    # Status and date share one column so the title has the room (1280 px with both the
    # sidebar and the filters open); category and tags are filters.
    list_display = ["title", "status_badge", "author"]
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
        (_("Filing"), {"fields": ["category", "tags", "related_inspections", "language"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "comments_open"]}),
        (_("Search and sharing"), {"fields": ["meta_description"]}),
    ]

    class Media:
        css = {"all": ["css/admin-desk.css"]}
        js = ["js/admin-desk.js"]

    @admin.display(description=_("status"), ordering="published_at")
    def status_badge(self, article):
        if article.is_published:
            when = date_format(timezone.localtime(article.published_at), "j M Y")
            return format_html(
                '<span class="status-badge status-badge--published">{}</span> '
                '<time class="status-date" datetime="{}">{}</time>',
                _("Published"),
                article.published_at.isoformat(),
                when,
            )
        if article.is_scheduled:
            when = date_format(timezone.localtime(article.published_at), "j M H:i")
            label, kind = _("Scheduled for %(when)s") % {"when": when}, "scheduled"
        elif article.status == Article.Status.REVIEW:
            label, kind = _("In review"), "review"
        else:
            label, kind = _("Draft"), "draft"
        return format_html('<span class="status-badge status-badge--{}">{}</span>', kind, label)

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
        attrs = {"can_publish": self.can_publish(request), "library_user": request.user}
        recovered = getattr(request, "_article_recovered", None)
        if recovered is not None:
            attrs["recovered"] = recovered
        return type(form.__name__, (form,), attrs)

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
        article_save(
            article=obj, user=request.user, changed_fields=form.changed_data, record_version=False
        )

    def save_related(self, request, form, formsets, change):
        # The version is taken once the tags and related inspections are saved too.
        super().save_related(request, form, formsets, change)
        article_version_record(article=form.instance, user=request.user)
        article_autosave_discard(user=request.user, article=form.instance)
        if not change:
            article_autosave_discard(user=request.user, article=None)

    def _desk_context(self, request, article) -> dict:
        """What the edit page's autosave, recovery and preview need."""
        object_id = article.pk if article else None
        if object_id:
            autosave_url = reverse("admin:blog_article_autosave", args=[object_id])
            preview_post_url = reverse("admin:blog_article_preview", args=[object_id])
        else:
            autosave_url = reverse("admin:blog_article_autosave_new")
            preview_post_url = reverse("admin:blog_article_preview_new")
        autosave = (
            ArticleAutosave.objects.filter(user=request.user, article=article)
            .only("saved_at")
            .first()
        )
        if autosave and article and article.updated_at > autosave.saved_at:
            autosave = None  # saved since (perhaps by someone else): nothing to recover
        recovering = autosave is not None and request.GET.get("recover") == "1"
        if recovering:
            request._article_recovered = ArticleAutosave.objects.get(pk=autosave.pk).data
        return {
            "autosave_url": autosave_url,
            "preview_post_url": preview_post_url,
            "autosave": None if recovering else autosave,
            "recovered": recovering,
        }

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self._desk_context(request, None)}
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id) if str(object_id).isdigit() else None
        if article is not None and self._owns(request, article):
            extra_context["preview_url"] = reverse(
                "blog:article-preview", kwargs={"token": preview_token(object_id)}
            )
            extra_context["versions_url"] = reverse(
                "admin:blog_article_versions", kwargs={"object_id": object_id}
            )
            if self.has_change_permission(request, article):
                extra_context.update(self._desk_context(request, article))
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
            *media_library.urls(self),
            path("autosave/", view(self.autosave_view), name="blog_article_autosave_new"),
            path("preview/", view(self.preview_view), name="blog_article_preview_new"),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view),
                name="blog_article_autosave",
            ),
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="blog_article_preview",
            ),
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

    def versions_view(self, request, object_id):
        """Every version with who saved it and what changed; any two compared word by word."""
        article = self._article_or_deny(request, object_id)
        listed = article.versions.select_related("created_by").only(
            "title", "changed", "note", "created_at", "article_id", "created_by__username"
        )
        page = Paginator(listed, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
        versions = list(page.object_list)
        for version in versions:
            version.changed_labels = field_labels(version.changed)
        old, new, compared = self._compared(request, article, versions)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Versions of “%(title)s”") % {"title": article.title},
            "article": article,
            "subject": article,
            "stylesheet": "css/admin-desk.css",
            "changes_template": "admin/blog/article/_changes.html",
            "restore_url_name": "admin:blog_article_version_restore",
            "show_changed_fields": True,
            "versions": versions,
            "page_obj": page,
            "old": old,
            "new": new,
            "changes": compared,
            "latest_pk": versions[0].pk if versions and page.number == 1 else None,
            "can_restore": self.has_change_permission(request, article),
        }
        response = TemplateResponse(request, "admin/versions.html", context)
        add_never_cache_headers(response)
        return response

    @staticmethod
    def _compared(request, article, versions):
        """The two versions asked for (?old=&new=), else the newest two on the page; one query."""
        try:
            wanted = [int(request.GET["old"]), int(request.GET["new"])]
        except (KeyError, ValueError):
            wanted = [v.pk for v in versions[1::-1]]
        if len(wanted) != 2:
            return None, None, []
        found = {
            v.pk: v for v in article.versions.filter(pk__in=wanted).select_related("created_by")
        }
        if len(found) != len(set(wanted)):
            return None, None, []
        old, new = found[wanted[0]], found[wanted[1]]
        if (old.created_at, old.pk) > (new.created_at, new.pk):
            old, new = new, old
        return old, new, version_changes(old.snapshot, new.snapshot)

    def restore_view(self, request, object_id, version_id):
        article = self._article_or_deny(request, object_id, change=True)
        version = get_object_or_404(ArticleVersion, pk=version_id, article=article)
        if request.method != "POST":
            latest = article.versions.exclude(pk=version.pk).first()
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Restore this version?"),
                "article": article,
                "version": version,
                "changes": [
                    change
                    for change in (
                        version_changes(latest.snapshot, version.snapshot) if latest else []
                    )
                    if change.name not in RESTORE_KEEPS
                ],
            }
            return TemplateResponse(request, "admin/blog/article/version_restore.html", context)
        article_version_restore(version=version, user=request.user)
        self.message_user(request, _("The version was restored."), messages.SUCCESS)
        return redirect("admin:blog_article_change", object_id=article.pk)

    # The desk: autosave while typing, and previewing the form as it is on screen.

    def _form_article(self, request, object_id):
        """The article a form posts to (None for a new one), if the user may change it."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        return self._article_or_deny(request, object_id, change=True)

    def autosave_view(self, request, object_id=None):
        """POST: keep the form's fields for this user; DELETE or POST discard=1: forget them."""
        article = self._form_article(request, object_id)
        if request.method not in {"POST", "DELETE"}:
            return JsonResponse({"error": _("Send the form with POST.")}, status=405)
        if request.method == "DELETE" or request.POST.get("_autosave_discard"):
            article_autosave_discard(user=request.user, article=article)
            if request.method == "POST" and not request.headers.get("X-Autosave"):
                self.message_user(request, _("The autosaved draft was discarded."))
                if article is None:
                    return redirect("admin:blog_article_add")
                return redirect("admin:blog_article_change", object_id=article.pk)
            return JsonResponse({"discarded": True})
        if int(request.headers.get("Content-Length") or 0) > AUTOSAVE_MAX_BYTES:
            return JsonResponse({"error": _("The draft is too large to autosave.")}, status=413)
        data = {name: values for name, values in request.POST.lists() if name not in AUTOSAVE_SKIP}
        autosave = article_autosave_put(user=request.user, article=article, data=data)
        when = date_format(timezone.localtime(autosave.saved_at), "H:i:s")
        return JsonResponse(
            {
                "saved_at": autosave.saved_at.isoformat(),
                "message": _("Draft autosaved at %(when)s") % {"when": when},
            }
        )

    def preview_view(self, request, object_id=None):
        """The posted form, unsaved, in the real article template at phone and desktop widths."""
        article = self._form_article(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form_class = self.get_form(request, article, change=article is not None)
        # Files are left out: a preview writes nothing, so a new upload cannot be shown yet.
        form = form_class(request.POST, instance=article)
        if form.is_valid():
            html, problems = preview_render(request, form), []
        else:
            html = ""
            problems = [
                (form.fields[name].label if name in form.fields else "", errors)
                for name, errors in form.errors.items()
            ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Preview of unsaved changes"),
            "article": article,
            "preview_html": html,
            "problems": problems,
        }
        response = TemplateResponse(
            request,
            "admin/blog/article/preview.html",
            context,
            status=200 if form.is_valid() else 400,
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response


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
