from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from blog.models import Article, AuthorProfile, Category, ResourcePack, ResourcePackItem


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "category", "status", "published_at", "public_state"]
    list_filter = ["status", "category", "author", "published_at"]
    list_select_related = ["author", "category"]
    search_fields = ["title", "standfirst", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["category", "related_inspections"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "standfirst", "body"]}),
        (
            _("Featured image"),
            {
                "fields": [
                    "featured_image",
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

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}


class ResourcePackItemInline(admin.TabularInline):
    model = ResourcePackItem
    extra = 1
    raw_id_fields = ["article"]


@admin.register(ResourcePack)
class ResourcePackAdmin(admin.ModelAdmin):
    list_display = ["title", "is_featured", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ResourcePackItemInline]
