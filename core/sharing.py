"""Share links and page metadata for anything a reader can share (articles, inspections).

Every address here is absolute and built from settings.SITE_URL, never from the request.
"""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.site import absolute_url


@dataclass(frozen=True)
class ShareLink:
    network: str
    name: str
    label: str
    href: str
    new_tab: bool = True


@dataclass
class Shareable:
    """What a page offers to share: enough for share links, Open Graph and JSON-LD."""

    title: str
    path: str
    description: str = ""
    print_path: str = ""
    image_url: str = ""
    image_width: int | None = None
    image_height: int | None = None
    image_alt: str = ""
    og_type: str = "website"
    published: object = None
    modified: object = None
    author_name: str = ""
    author_url: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    json_ld_type: str = ""

    @property
    def url(self) -> str:
        return absolute_url(self.path)

    @property
    def published_iso(self) -> str:
        return self.published.isoformat() if self.published else ""

    @property
    def modified_iso(self) -> str:
        return self.modified.isoformat() if self.modified else ""


def with_utm(url: str, network: str) -> str:
    """Add the UTM parameters configured in settings.SHARE_UTM, naming the network as source."""
    if not settings.SHARE_UTM:
        return url
    params = {key: value.format(network=network) for key, value in settings.SHARE_UTM.items()}
    scheme, netloc, path, query, fragment = urlsplit(url)
    query = "&".join(part for part in (query, urlencode(params)) if part)
    return urlunsplit((scheme, netloc, path, query, fragment))


def share_links(item: Shareable, mastodon_path: str) -> list[ShareLink]:
    def url_for(network: str) -> str:
        return with_utm(item.url, network)

    def q(value: str) -> str:
        return quote(value, safe="")

    title = item.title
    bluesky_text = f"{title} {url_for('bluesky')}"
    whatsapp_text = f"{title} {url_for('whatsapp')}"
    email_body = "\n\n".join(part for part in (item.description, url_for("email")) if part)
    return [
        ShareLink(
            "x",
            "X",
            _("Share on X (Twitter)"),
            f"https://x.com/intent/tweet?text={q(title)}&url={q(url_for('x'))}",
        ),
        ShareLink(
            "facebook",
            "Facebook",
            _("Share on Facebook"),
            f"https://www.facebook.com/sharer/sharer.php?u={q(url_for('facebook'))}",
        ),
        ShareLink(
            "linkedin",
            "LinkedIn",
            _("Share on LinkedIn"),
            f"https://www.linkedin.com/sharing/share-offsite/?url={q(url_for('linkedin'))}",
        ),
        ShareLink(
            "bluesky",
            "Bluesky",
            _("Share on Bluesky"),
            f"https://bsky.app/intent/compose?text={q(bluesky_text)}",
        ),
        ShareLink(
            "mastodon",
            "Mastodon",
            _("Share on Mastodon"),
            f"{mastodon_path}?{urlencode({'text': title, 'url': url_for('mastodon')})}",
        ),
        ShareLink(
            "whatsapp",
            "WhatsApp",
            _("Share on WhatsApp"),
            f"https://wa.me/?text={q(whatsapp_text)}",
        ),
        ShareLink(
            "email",
            _("Email"),
            _("Share by email"),
            f"mailto:?subject={q(title)}&body={q(email_body)}",
            new_tab=False,
        ),
    ]


def structured_data(item: Shareable) -> list[dict]:
    publisher = {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "logo": {"@type": "ImageObject", "url": absolute_url(static(settings.SITE_LOGO))},
    }
    blocks = []
    if item.json_ld_type:
        main: dict = {
            "@context": "https://schema.org",
            "@type": item.json_ld_type,
            "headline": item.title[:110],
            "name": item.title,
            "url": item.url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": item.url},
            "description": item.description,
            "publisher": publisher,
            "inLanguage": "en-GB",
        }
        if item.image_url:
            main["image"] = [item.image_url]
        if item.published:
            main["datePublished"] = item.published_iso
        if item.modified:
            main["dateModified"] = item.modified_iso
        if item.author_name:
            main["author"] = [
                {"@type": "Person", "name": item.author_name, "url": item.author_url}
                if item.author_url
                else {"@type": "Organization", "name": item.author_name}
            ]
        if item.tags:
            main["keywords"] = ", ".join(item.tags)
        if item.section:
            main["articleSection"] = item.section
        blocks.append(main)
    if item.breadcrumbs:
        blocks.append(
            {
                "@context": "https://schema.org",
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {"@type": "ListItem", "position": n, "name": name, "item": absolute_url(path)}
                    for n, (name, path) in enumerate(item.breadcrumbs, start=1)
                ],
            }
        )
    return blocks


def plain(text: str, limit: int = 300) -> str:
    text = " ".join(strip_tags(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def article_shareable(article) -> Shareable:
    """Share and metadata facts for a blog article (author, category and tags loaded)."""
    from django.urls import reverse

    from core.social_images import HEIGHT, WIDTH, preview_version

    profile = getattr(article.author, "profile", None)
    if article.featured_image:
        image_url = absolute_url(article.featured_image.url)
        width, height = article.featured_image_width, article.featured_image_height
        alt = article.featured_image_alt
    else:
        version = preview_version(article.title, settings.SITE_NAME)
        image_url = absolute_url(
            reverse("core:social-image", kwargs={"kind": "articles", "slug": article.slug})
            + f"?v={version}"
        )
        width, height, alt = WIDTH, HEIGHT, article.title
    breadcrumbs = [(_("Home"), reverse("blog:home"))]
    if article.category:
        breadcrumbs.append((article.category.name, article.category.get_absolute_url()))
    breadcrumbs.append((article.title, article.get_absolute_url()))
    return Shareable(
        title=article.title,
        path=article.get_absolute_url(),
        description=plain(article.description, 300),
        print_path=reverse("blog:article-print", kwargs={"slug": article.slug}),
        image_url=image_url,
        image_width=width,
        image_height=height,
        image_alt=alt,
        og_type="article",
        published=article.published_at,
        modified=max(article.updated_at, article.published_at),
        author_name=profile.display_name if profile else article.author.get_full_name(),
        author_url=absolute_url(profile.get_absolute_url()) if profile else "",
        section=article.category.name if article.category else "",
        tags=[tag.name for tag in article.tags.all()],
        breadcrumbs=breadcrumbs,
        json_ld_type="NewsArticle",
    )


def inspection_shareable(inspection) -> Shareable:
    """Share and metadata facts for an inspection record (inspectorate loaded)."""
    from django.urls import reverse

    from core.social_images import HEIGHT, WIDTH, preview_version

    version = preview_version(inspection.title, settings.SITE_NAME)
    image_url = absolute_url(
        reverse("core:social-image", kwargs={"kind": "inspections", "slug": inspection.slug})
        + f"?v={version}"
    )
    return Shareable(
        title=inspection.title,
        path=inspection.get_absolute_url(),
        description=plain(inspection.summary, 300),
        print_path=reverse("inspections:inspection-print", kwargs={"slug": inspection.slug}),
        image_url=image_url,
        image_width=WIDTH,
        image_height=HEIGHT,
        image_alt=inspection.title,
        og_type="article",
        published=inspection.published_on,
        modified=getattr(inspection, "updated_at", None),
        author_name=inspection.inspectorate.name,
        section=_("Inspections"),
        tags=[tag.name for tag in inspection.tags.all()],
        breadcrumbs=[
            (_("Home"), reverse("blog:home")),
            (_("Inspections"), reverse("inspections:inspection-list")),
            (inspection.title, inspection.get_absolute_url()),
        ],
        json_ld_type="Report",
    )


SHAREABLE_ATTRIBUTE = "_shareable"


def shareable(obj) -> Shareable:
    """Adapt a page's main object to what share links and metadata need.

    A page asks several times (metadata, share bars): the answer is kept on the object.
    """
    if isinstance(obj, Shareable):
        return obj
    cached = getattr(obj, SHAREABLE_ATTRIBUTE, None)
    if cached is None:
        cached = build_shareable(obj)
        setattr(obj, SHAREABLE_ATTRIBUTE, cached)
    return cached


def build_shareable(obj) -> Shareable:
    from django.urls import reverse
    from taggit.models import Tag

    from blog.models import Article, AuthorProfile, Category
    from inspections.models import Inspection

    if isinstance(obj, Article):
        return article_shareable(obj)
    if isinstance(obj, Inspection):
        return inspection_shareable(obj)
    home = (_("Home"), reverse("blog:home"))
    if isinstance(obj, Tag):
        path = reverse("blog:tag-detail", kwargs={"slug": obj.slug})
        title = _("Tagged “%(tag)s”") % {"tag": obj.name}
        return Shareable(title=title, path=path, breadcrumbs=[home, (obj.name, path)])
    if isinstance(obj, AuthorProfile):
        return Shareable(
            title=obj.display_name,
            path=obj.get_absolute_url(),
            description=plain(obj.bio, 200),
            og_type="profile",
            breadcrumbs=[home, (obj.display_name, obj.get_absolute_url())],
        )
    if isinstance(obj, Category):
        return Shareable(
            title=obj.name,
            path=obj.get_absolute_url(),
            description=plain(obj.description, 200),
            breadcrumbs=[home, (obj.name, obj.get_absolute_url())],
        )
    raise TypeError(f"Nothing knows how to share a {type(obj).__name__}")
