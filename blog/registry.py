"""What blog registers with core: its content kind, its pages' facts, sitemaps and slots."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category, ResourcePack, ResourcePackItem
from core.content import ContentKind, PageFacts, SearchEntry, plain_summary, registry
from core.site import absolute_url
from core.slots import register_slot


def article_facts(article: Article) -> PageFacts:
    """Share and metadata facts for an article (author, category and tags loaded)."""
    image_url, width, height, alt = "", None, None, ""
    if article.featured_image:
        image_url = absolute_url(article.featured_image.url)
        width, height = article.featured_image_width, article.featured_image_height
        alt = article.featured_image_alt
    home = (_("Home"), reverse("blog:home"))
    breadcrumbs = [home]
    if article.category:
        breadcrumbs.append((article.category.name, article.category.get_absolute_url()))
    breadcrumbs.append((article.title, article.get_absolute_url()))
    return PageFacts(
        title=article.title,
        path=article.get_absolute_url(),
        description=plain_summary(article.description, 300),
        print_path=reverse("blog:article-print", kwargs={"slug": article.slug}),
        image_url=image_url,
        image_width=width,
        image_height=height,
        image_alt=alt,
        og_type="article",
        published=article.published_at,
        modified=max(article.updated_at, article.published_at),
        author_name=article.author_name,
        author_url=absolute_url(article.author_url) if article.author_url else "",
        section=article.category.name if article.category else "",
        tags=[tag.name for tag in article.tags.all()],
        breadcrumbs=breadcrumbs,
        json_ld_type="NewsArticle",
        kind="articles",
        slug=article.slug,
    )


def article_search_entry(article: Article) -> SearchEntry:
    """What an article offers the site search (`for_search()` rows)."""
    tags = article.search_tags
    category = article.category
    return SearchEntry(
        title=article.title,
        url=article.get_absolute_url(),
        summary=article.standfirst,
        keywords=[article.author_name, category.name if category else "", *(t.name for t in tags)],
        body=article.body,
        byline=article.author_name,
        date=article.published_at,
        public_from=article.published_at,
        facets={
            "tag": [(tag.slug, tag.name) for tag in tags],
            "category": [(category.slug, category.name)] if category else [],
        },
        language=article.language,
    )


def public_flat_pages():
    """Flat pages anyone may read on this site (Django's model, so no queryset of ours)."""
    return FlatPage.objects.filter(registration_required=False, sites=settings.SITE_ID)


def resourcepack_search_entry(pack: ResourcePack) -> SearchEntry:
    """What a resource pack offers the site search (items and their articles loaded)."""
    items = [
        " ".join([item.title or (item.article.title if item.article else ""), item.note])
        for item in pack.items.all()
    ]
    return SearchEntry(
        title=pack.title,
        url=pack.get_absolute_url(),
        summary=pack.promo_text,
        body=" ".join([pack.intro, *items]),
        date=pack.updated_at,
    )


def flatpage_facts(page: FlatPage) -> PageFacts:
    return PageFacts(
        title=page.title,
        path=page.url,
        description=plain_summary(page.content, 200),
        breadcrumbs=[(_("Home"), reverse("blog:home")), (page.title, page.url)],
    )


def flatpage_search_entry(page: FlatPage) -> SearchEntry:
    return SearchEntry(title=page.title, url=page.url, body=page.content)


def tag_facts(tag: Tag) -> PageFacts:
    path = reverse("blog:tag-detail", kwargs={"slug": tag.slug})
    return PageFacts(
        title=_("Tagged “%(tag)s”") % {"tag": tag.name},
        path=path,
        breadcrumbs=[(_("Home"), reverse("blog:home")), (tag.name, path)],
    )


def author_facts(profile: AuthorProfile) -> PageFacts:
    return PageFacts(
        title=profile.display_name,
        path=profile.get_absolute_url(),
        description=plain_summary(profile.bio, 200),
        og_type="profile",
        breadcrumbs=[
            (_("Home"), reverse("blog:home")),
            (profile.display_name, profile.get_absolute_url()),
        ],
    )


def category_facts(category: Category) -> PageFacts:
    return PageFacts(
        title=category.name,
        path=category.get_absolute_url(),
        description=plain_summary(category.description, 200),
        breadcrumbs=[
            (_("Home"), reverse("blog:home")),
            (category.name, category.get_absolute_url()),
        ],
    )


def resourcepack_facts(pack: ResourcePack) -> PageFacts:
    image_url = absolute_url(pack.image.url) if pack.image else ""
    return PageFacts(
        title=pack.title,
        path=pack.get_absolute_url(),
        description=plain_summary(pack.promo_text or pack.intro, 200),
        image_url=image_url,
        image_width=pack.image_width if image_url else None,
        image_height=pack.image_height if image_url else None,
        image_alt=pack.image_alt,
        breadcrumbs=[(_("Home"), reverse("blog:home")), (pack.title, pack.get_absolute_url())],
    )


def featured_pack(context, obj=None, **options) -> str:
    """The sidebar's resource-pack promo (cached; blog.signals clears it on change)."""
    pack = ResourcePack.objects.featured_promo()
    if pack is None:
        return ""
    return render_to_string("blog/_featured_pack.html", {"pack": pack})


def register() -> None:
    from blog import sitemaps

    registry.register(
        ContentKind(
            key="articles",
            model=Article,
            public=Article.objects.published,
            label=gettext_lazy("Analysis"),
            describe=article_facts,
            path_prefix="articles",
            published_field="published_at",
            commentable=True,
            search_index=lambda: (
                Article.objects.published() | Article.objects.scheduled()
            ).for_search(),
            search_entry=article_search_entry,
            search_related=(
                (Category, lambda category: category.articles.all()),
                (AuthorProfile, lambda profile: Article.objects.filter(author_id=profile.user_id)),
                (Tag, lambda tag: Article.objects.tagged(tag)),
            ),
        )
    )
    registry.register(
        ContentKind(
            key="resources",
            model=ResourcePack,
            public=ResourcePack.objects.all,
            label=gettext_lazy("Resource pack"),
            search_index=lambda: ResourcePack.objects.prefetch_related(
                Prefetch("items", queryset=ResourcePackItem.objects.select_related("article"))
            ),
            search_entry=resourcepack_search_entry,
            search_related=((ResourcePackItem, lambda item: [item.pack_id]),),
        )
    )
    registry.register(
        ContentKind(
            key="pages",
            model=FlatPage,
            public=public_flat_pages,
            label=gettext_lazy("Page"),
            search_index=public_flat_pages,
            search_entry=flatpage_search_entry,
        )
    )
    registry.register_page(FlatPage, flatpage_facts)
    registry.register_page(Tag, tag_facts)
    registry.register_page(AuthorProfile, author_facts)
    registry.register_page(Category, category_facts)
    registry.register_page(ResourcePack, resourcepack_facts)
    for name, sitemap in sitemaps.sitemaps.items():
        registry.register_sitemap(name, sitemap)
    register_slot("sidebar", "blog-featured-pack", featured_pack, order=20)
