"""Share links and page metadata for any page the content registry can describe.

Every address here is absolute and built from settings.SITE_URL, never from the request.
"""

from dataclasses import dataclass, replace
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from core.content import PageFacts, registry
from core.site import absolute_url
from sharing.social_images import HEIGHT, WIDTH, preview_version


@dataclass(frozen=True)
class ShareLink:
    network: str
    name: str
    label: str
    href: str
    new_tab: bool = True


def with_utm(url: str, network: str) -> str:
    """Add the UTM parameters configured in settings.SHARE_UTM, naming the network as source."""
    if not settings.SHARE_UTM:
        return url
    params = {key: value.format(network=network) for key, value in settings.SHARE_UTM.items()}
    scheme, netloc, path, query, fragment = urlsplit(url)
    query = "&".join(part for part in (query, urlencode(params)) if part)
    return urlunsplit((scheme, netloc, path, query, fragment))


def share_links(item: PageFacts, mastodon_path: str) -> list[ShareLink]:
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


def structured_data(item: PageFacts) -> list[dict]:
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


def shareable(obj) -> PageFacts:
    """The page facts of `obj`, with a generated preview image when it has no picture."""
    facts = registry.describe(obj)
    if facts.image_url or not facts.kind:
        return facts
    version = preview_version(facts.title, settings.SITE_NAME)
    path = reverse("sharing:social-image", kwargs={"kind": facts.kind, "slug": facts.slug})
    facts = replace(
        facts,
        image_url=absolute_url(f"{path}?v={version}"),
        image_width=WIDTH,
        image_height=HEIGHT,
        image_alt=facts.image_alt or facts.title,
    )
    obj._page_facts = facts
    return facts
