"""Planning: the slug and address of every post and page before any is written, and every
old address that should lead to them."""

from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.contrib.flatpages.models import FlatPage
from django.contrib.flatpages.views import flatpage
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.text import slugify

from blog.models import Article
from blog.views import legacy_redirect
from wordpress.addresses import dated_forms, slug_path
from wordpress.services.state import ImportState
from wordpress.services.values import NOT_IMPORTED_STATUSES, Kind, PostIndex


class PlanningStep(ImportState):
    """Slugs, flat-page URLs and the address book, decided before the second pass."""

    def plan(self) -> None:
        self.slugs: dict[int, str] = {}
        self.page_urls: dict[int, str] = {}
        self.known_posts = self.mapped(Kind.POST)
        self.known_pages = self.mapped(Kind.PAGE)
        # A rerun looks each earlier post and comment up here, in two queries, rather than
        # one query per post for each.
        self.earlier_articles = Article.objects.in_bulk(
            [i.object_id for i in self.known_posts.values()]
        )
        self.known_comments = self.mapped(Kind.COMMENT) if self.known_posts else {}
        current = {pk: article.slug for pk, article in self.earlier_articles.items()}
        taken = set(Article.objects.values_list("slug", flat=True))
        for post in self.posts.values():
            if post.post_type != "post" or post.status in NOT_IMPORTED_STATUSES:
                continue
            earlier = self.known_posts.get(post.wp_id)
            if earlier and earlier.object_id in current:
                self.slugs[post.wp_id] = current[earlier.object_id]
                continue
            wanted = (
                slugify(unquote(post.post_name)) or slugify(post.title) or f"post-{post.wp_id}"
            )[:190]
            slug, n = wanted, 2
            while slug in taken:
                slug, n = f"{wanted}-{n}", n + 1
            if slug != wanted:
                self.report.note(
                    f"post {post.wp_id} “{post.title[:60]}”: the slug {wanted!r} is taken; "
                    f"imported as {slug!r}"
                )
            taken.add(slug)
            self.slugs[post.wp_id] = slug
        pages_now = dict(
            FlatPage.objects.filter(
                pk__in=[i.object_id for i in self.known_pages.values()]
            ).values_list("pk", "url")
        )
        urls_taken = set(FlatPage.objects.values_list("url", flat=True))
        for page in self.posts.values():
            if page.post_type == "page" and page.status in {"publish", "private"}:
                earlier = self.known_pages.get(page.wp_id)
                if earlier and earlier.object_id in pages_now:
                    self.page_urls[page.wp_id] = pages_now[earlier.object_id]
                    continue
                url = self._page_url(page, urls_taken)
                urls_taken.add(url)
                self.page_urls[page.wp_id] = url
        for post in self.posts.values():
            self._record_addresses(post)

    def _page_url(self, page: PostIndex, taken: set[str]) -> str:
        chain, seen, current = [], set(), page
        while current is not None and current.wp_id not in seen:
            seen.add(current.wp_id)
            chain.insert(0, slugify(unquote(current.post_name)) or f"page-{current.wp_id}")
            current = self.posts.get(current.parent)
        url = "/" + "/".join(chain) + "/"
        if not _serves_flat_page(url):
            self.report.note(
                f"page {page.wp_id} “{page.title[:60]}”: {url} is an address of this site; "
                f"imported at /pages{url}"
            )
            url = "/pages" + url
        wanted, n = url, 2
        while url in taken:
            url, n = f"{wanted.rstrip('/')}-{n}/", n + 1
        return url

    def _record_addresses(self, post: PostIndex) -> None:
        if post.post_type == "post" and post.status in {"publish", "future"}:
            slug = self.slugs[post.wp_id]
            new = reverse("blog:article-detail", kwargs={"slug": slug})
            self.book.add(post.link, new)
            self.book.add(f"/?p={post.wp_id}", new)
            self.book.add(post.guid, new)
            self.book.add(f"/archives/{post.wp_id}/", new)
            if post.post_name:
                self.book.add(f"/{slug_path(post.post_name)}/", new)
                for old in dated_forms(post.post_name, post.local_date):
                    self.book.add(old, new)
            if apps.is_installed("comments"):
                try:
                    feed = reverse("comments:articles-comment-feed", kwargs={"slug": slug})
                except NoReverseMatch:
                    feed = ""
                link = urlsplit(post.link)
                if link.path.strip("/") and not link.query:
                    self.book.add(post.link.rstrip("/") + "/feed/", feed)
        elif post.wp_id in self.page_urls:
            new = self.page_urls[post.wp_id]
            self.book.add(post.link, new)
            self.book.add(f"/?page_id={post.wp_id}", new)
            self.book.add(post.guid, new)

    def record_site_addresses(self) -> None:
        """Addresses that belong to the site rather than to one post: feeds, author pages."""
        for old in ("/feed/rss2/", "/feed/rss/", "/feed/rdf/", "/?feed=rss2", "/?feed=rss"):
            self.book.add(old, reverse("blog:article-feed"))
        self.book.add("/?feed=atom", reverse("blog:article-feed-atom"))
        if apps.is_installed("comments"):
            self.book.add("/?feed=comments-rss2", reverse("comments:comment-feed"))
            self.book.add("/comments/feed/rss2/", reverse("comments:comment-feed"))
        for login, author in self.authors.items():
            user = self.users.get(login)
            if user is None or not hasattr(user, "profile"):
                continue
            page = reverse("blog:author-detail", kwargs={"username": user.get_username()})
            feed = reverse("blog:author-feed", kwargs={"username": user.get_username()})
            self.book.add(f"/author/{slug_path(login)}/", page)
            self.book.add(f"/author/{slug_path(login)}/feed/", feed)
            if author.wp_id:
                self.book.add(f"/?author={author.wp_id}", page)
        # Attachment pages: the post they belong to, else the file itself.
        for wp_id, item in self.attachments.items():
            parent = self.posts.get(item.parent)
            new = ""
            if parent and parent.wp_id in self.slugs and parent.status in {"publish", "future"}:
                new = reverse("blog:article-detail", kwargs={"slug": self.slugs[parent.wp_id]})
            elif parent and parent.wp_id in self.page_urls:
                new = self.page_urls[parent.wp_id]
            elif wp_id in self.media:
                new = self.media[wp_id].url
            if new:
                self.book.add(item.link, new)
                self.book.add(f"/?attachment_id={wp_id}", new)


def _serves_flat_page(url: str) -> bool:
    """Whether a flat page at `url` would be shown (no other page of this site is there)."""
    try:
        match = resolve(url)
    except Resolver404:
        return False
    return match.func in {flatpage, legacy_redirect}
