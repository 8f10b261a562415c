import datetime
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from blog.sanitise import sanitise_html
from core.content import plain_summary
from core.pagecache import content_version

IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WORDS_PER_MINUTE = 200


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category-detail", kwargs={"slug": self.slug})


class AuthorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=120)
    bio = models.TextField(
        _("biography"), blank=True, help_text=_("Plain text, shown on articles.")
    )
    photo = models.ImageField(
        _("photo"),
        upload_to="authors/",
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
    )
    links = models.TextField(
        _("links"),
        blank=True,
        help_text=_("One link per line: a label, a space, then the https:// address."),
    )

    class Meta:
        verbose_name = _("author profile")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("blog:author-detail", kwargs={"username": self.user.get_username()})

    def link_list(self) -> list[tuple[str, str]]:
        """(label, url) pairs from `links`, keeping only http(s) addresses."""
        pairs = []
        for line in self.links.splitlines():
            label, _sep, url = line.strip().rpartition(" ")
            if url.startswith(("https://", "http://")):
                pairs.append((label.strip() or url, url))
        return pairs


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("article tag")


NAVIGATION_CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class ArticleLink:
    title: str
    slug: str
    published_at: datetime.datetime

    def get_absolute_url(self) -> str:
        return reverse("blog:article-detail", kwargs={"slug": self.slug})


@dataclass(frozen=True)
class ArticleNavigation:
    related: list[ArticleLink]
    previous: ArticleLink | None
    next: ArticleLink | None


# The columns a listing card (includes/_article_card.html and its byline) reads.
CARD_FIELDS = (
    "title",
    "slug",
    "standfirst",
    "language",
    "published_at",
    "reading_time",
    "featured_image",
    "featured_image_width",
    "featured_image_height",
    "featured_image_renditions",
    "category__name",
    "category__slug",
    "author__username",
    "author__first_name",
    "author__last_name",
    "author__profile__display_name",
)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of "visible to the public"."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def next_publication_at(self) -> datetime.datetime | None:
        """When the next scheduled article becomes public; None when none is waiting."""
        waiting = self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        return waiting.aggregate(at=models.Min("published_at"))["at"]

    def for_listing(self):
        return self.select_related("author__profile", "category").prefetch_related("tags")

    def for_page(self):
        """An article's own page: its author and category; the views load the rest when read."""
        return self.select_related("author__profile", "category")

    def for_cards(self):
        """What a listing card shows and nothing more: no body, no tags."""
        return self.select_related("author__profile", "category").only(*CARD_FIELDS)

    def for_search(self):
        """What an article's search entry names, tags as a plain list in `search_tags`: a
        rebuild loads every article, and taggit builds a query per object for `tags`."""
        return self.select_related("author__profile", "category").prefetch_related(
            models.Prefetch("tags", to_attr="search_tags")
        )

    def in_review(self):
        """Drafts an author has submitted and an editor has still to publish."""
        return self.filter(status=Article.Status.REVIEW)

    def scheduled(self):
        """Published articles whose date has not come yet (the twin of published())."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def editable_by(self, user) -> "ArticleQuerySet":
        """The articles `user` may open in the admin: all for editors, their own for authors."""
        if user.has_perm("blog.change_any_article"):
            return self
        return self.filter(author_id=user.pk)

    def tagged(self, tag) -> "ArticleQuerySet":
        """Articles carrying `tag`; a subquery so the tag index drives the lookup."""
        return self.filter(pk__in=TaggedArticle.objects.filter(tag=tag).values("content_object_id"))

    def related_to(self, article: "Article", limit: int = 3) -> list["ArticleLink"]:
        """Public articles sharing the most tags with `article` (its tags already prefetched).

        Counted from the tag links of the article's own tags, so the tag index drives the
        query whatever the planner knows about the tables.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        if not tag_ids:
            return []
        rows = (
            TaggedArticle.objects.filter(tag_id__in=tag_ids, content_object__in=self.published())
            .exclude(content_object_id=article.pk)
            .values_list(
                "content_object__title", "content_object__slug", "content_object__published_at"
            )
            .annotate(shared_tags=Count("id"))
            .order_by("-shared_tags", "-content_object__published_at")[:limit]
        )
        return [ArticleLink(title, slug, published_at) for title, slug, published_at, _n in rows]

    def navigation_for(self, article: "Article") -> ArticleNavigation:
        """Related, previous and next articles, cached under the pages' content version: new
        after any change, and when a scheduled article's time comes (core.pagecache)."""
        key = f"blog:navigation:{article.pk}:{content_version()[0]}"
        navigation = cache.get(key)
        if navigation is None:
            published = self.published()
            fields = ("title", "slug", "published_at")
            navigation = ArticleNavigation(
                related=self.related_to(article),
                previous=_link(
                    published.filter(published_at__lt=article.published_at)
                    .order_by("-published_at", "-pk")
                    .values_list(*fields)
                    .first()
                ),
                next=_link(
                    published.filter(published_at__gt=article.published_at)
                    .order_by("published_at", "pk")
                    .values_list(*fields)
                    .first()
                ),
            )
            cache.set(key, navigation, NAVIGATION_CACHE_SECONDS)
        return navigation


def _link(values: tuple | None) -> ArticleLink | None:
    return ArticleLink(*values) if values else None


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published (scheduled while the date is in the future)")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    standfirst = models.TextField(
        _("standfirst"), blank=True, help_text=_("One or two sentences under the title.")
    )
    body = models.TextField(_("body"), blank=True, help_text=_("HTML; sanitised when saved."))
    featured_image = models.ImageField(
        _("featured image"),
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
    )
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_alt = models.CharField(
        _("featured image alt text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it. Required with an image."),
    )
    featured_image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    featured_image_credit = models.CharField(_("credit"), max_length=200, blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    related_inspections = models.ManyToManyField(
        "inspections.Inspection",
        blank=True,
        related_name="articles",
        verbose_name=_("related inspections"),
        help_text=_("The inspection reports this article discusses."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("A future date schedules the article."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    comments_open = models.BooleanField(_("comments open"), default=True)
    meta_description = models.CharField(
        _("meta description"),
        max_length=160,
        blank=True,
        help_text=_("For search engines and link previews; the standfirst is used when empty."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the article is written in; empty: the site's language."),
    )
    reading_time = models.PositiveSmallIntegerField(
        _("reading time (minutes)"), default=1, editable=False
    )
    # Written by blog.images.renditions_make when the featured image changes, so templates
    # build srcset without touching the file system: {"widths": [...], "formats": {...}}.
    featured_image_renditions = models.JSONField(default=dict, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        permissions = [
            ("publish_article", _("Can publish and schedule articles")),
            ("change_any_article", _("Can change articles by any author")),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_public_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(featured_image="") | ~Q(featured_image_alt=""),
                name="article_image_has_alt",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200]
        self.body = sanitise_html(self.body)
        self.reading_time = self.compute_reading_time()
        extra = {"body", "reading_time", "slug"}
        if self.featured_image and self.featured_image_width is None:
            # A file saved from unnamed content (ContentFile) leaves Django's dimension fields
            # empty, and then every load of the row opens the image to measure it again.
            try:
                self.featured_image_width = self.featured_image.width
                self.featured_image_height = self.featured_image.height
                extra |= {"featured_image_width", "featured_image_height"}
            except (OSError, ValueError):
                pass  # a missing or unreadable file: the page shows no image size either way
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:article-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        """Mirror of ArticleQuerySet.published() for an instance in hand."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def is_editable_by(self, user) -> bool:
        """Mirror of ArticleQuerySet.editable_by() for an instance in hand."""
        return user.has_perm("blog.change_any_article") or self.author_id == user.pk

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_published

    @property
    def was_updated(self) -> bool:
        """True when edited more than a day after publication (worth showing to readers)."""
        return bool(
            self.published_at and (self.updated_at - self.published_at).total_seconds() > 86_400
        )

    @property
    def description(self) -> str:
        return self.meta_description or plain_summary(self.standfirst, 160)

    # The byline, defined once for pages, feeds and structured data. Load the author with
    # `for_listing()` (author__profile) so none of these queries.
    @property
    def author_profile(self) -> "AuthorProfile | None":
        return getattr(self.author, "profile", None)

    @property
    def author_name(self) -> str:
        """The profile's display name, else the author's full name, else their username."""
        profile = self.author_profile
        if profile and profile.display_name:
            return profile.display_name
        return self.author.get_full_name() or self.author.get_username()

    @property
    def author_url(self) -> str:
        """The author's page, which only authors with a profile have; else ""."""
        profile = self.author_profile
        return profile.get_absolute_url() if profile else ""

    def compute_reading_time(self) -> int:
        words = len(re.findall(r"\w+", strip_tags(f"{self.standfirst} {self.body}")))
        return max(1, math.ceil(words / WORDS_PER_MINUTE))


# History is a hand-written table rather than django-reversion or django-simple-history:
# every article write already goes through blog.services.article_save, so recording a
# version is one insert of a JSON snapshot (tags and related inspections included, by name,
# so the versions page and its diffs need no further queries). django-reversion would add
# registration, a revision context around every entry point and serialised rows to
# deserialise before diffing; django-simple-history a mirror table per model plus one per
# many-to-many. Both would still need our own diff and restore rules (restore never
# changes the publishing state), so the library would be more code to live with, not less.
class ArticleVersion(models.Model):
    """An article's editable fields as saved at one moment; `data` holds the full snapshot."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(_("title"), max_length=200)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body"), blank=True)
    # Every other editable field (see blog.history.SNAPSHOT_FIELDS); {} in versions saved
    # before it existed, which then compare on title, standfirst and body only.
    data = models.JSONField(_("snapshot"), default=dict, blank=True)
    # Names of the fields that differ from the version before, so the list needs no diffing.
    changed = models.JSONField(_("changed fields"), default=list, blank=True)
    created_at = models.DateTimeField(_("saved"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("article version")

    def __str__(self):
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def snapshot(self) -> dict:
        """Every recorded field, the text columns included."""
        return {
            **self.data,
            "title": self.title,
            "standfirst": self.standfirst,
            "body": self.body,
        }


class ArticleAutosave(models.Model):
    """What one user had typed into an article's edit form, kept in the background.

    Never public and never a version: it is offered back on the edit page after a crash or
    a closed tab, and deleted when the form is saved or the user discards it. A null
    article is the user's unsaved new article.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_autosaves"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    # The form's fields as posted: {name: [values]} (files are never kept).
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("autosaved draft")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_user_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="autosave_one_new_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.article_id or 'new'} ({self.saved_at:%Y-%m-%d %H:%M})"


FEATURED_PACK_CACHE_KEY = "blog:featured-pack"


class ResourcePackQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(is_featured=True).order_by("-updated_at")

    def featured_promo(self) -> "ResourcePack | None":
        """The sidebar's featured pack, through the cache (blog.signals clears it on change)."""
        pack = cache.get(FEATURED_PACK_CACHE_KEY)
        if pack is None:
            pack = self.featured().first() or False
            cache.set(FEATURED_PACK_CACHE_KEY, pack, 60 * 60)
        return pack or None


class ResourcePack(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("HTML; sanitised."))
    promo_text = models.CharField(
        _("promo text"),
        max_length=200,
        blank=True,
        help_text=_("One line for the sidebar box, e.g. 'Keep up with every development.'"),
    )
    image = models.ImageField(
        _("image"),
        upload_to="resources/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(_("image alt text"), max_length=250, blank=True)
    is_featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Promote this pack in the sidebar.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourcePackQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("resource pack")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.intro = sanitise_html(self.intro)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:resourcepack-detail", kwargs={"slug": self.slug})


class ResourcePackItem(models.Model):
    pack = models.ForeignKey(ResourcePack, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("order"), default=0)
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("An article on this site, or leave empty and give an external document."),
    )
    url = models.URLField(_("external URL"), blank=True)
    title = models.CharField(
        _("title"), max_length=250, blank=True, help_text=_("Defaults to the article's title.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("resource pack item")
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False) | ~Q(url=""),
                name="resourcepackitem_has_target",
            )
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return self.article.title if self.article_id else self.url

    @property
    def href(self) -> str:
        return self.article.get_absolute_url() if self.article_id else self.url


class ImageQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImageQuerySet":
        """The images `user` may see in the media library: all for editors, their own else."""
        if user.has_perm("blog.change_any_article"):
            return self
        return self.filter(uploaded_by_id=user.pk)

    def unused(self) -> "ImageQuerySet":
        """Images no article shows (featured or in its body): the library may delete them."""
        return self.exclude(Exists(ImageUse.objects.filter(image_id=OuterRef("pk"))))


class Image(models.Model):
    """One image file in the media library, featured or in an article's body.

    Every file came through blog.images.image_clean (verified, metadata stripped);
    `renditions` is what blog.images.renditions_make made of it, for srcset.
    """

    file = models.ImageField(
        _("file"),
        upload_to="articles/%Y/%m/",
        max_length=255,
        unique=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("image")

    def __str__(self):
        return self.alt or self.file.name


class ImageUse(models.Model):
    """An article shows `image`: as its featured image, or in its body. Kept by
    blog.images.article_images_sync whenever an article is saved."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="uses")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="image_uses")
    featured = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["image", "article", "featured"], name="image_use_unique"
            )
        ]

    def __str__(self):
        return f"{self.image_id} in {self.article_id}"
