"""Categories (flattened: this site has one level) and tags (one taggit vocabulary), with the
old archive addresses of each."""

import zlib
from urllib.parse import unquote

from django.urls import reverse
from django.utils.text import slugify
from taggit.models import Tag

from blog.models import Category
from wordpress import wxr
from wordpress.addresses import slug_path
from wordpress.models import ImportedItem
from wordpress.services.state import ImportState
from wordpress.services.values import Kind, plain_text


class TermsStep(ImportState):
    """Categories and tags, and the /category/ and /tag/ addresses they had."""

    def import_terms(self) -> None:
        """Categories (flattened: this site has one level) and tags (one taggit vocabulary)."""
        terms = {(t.taxonomy, t.slug or t.name): t for t in self.terms if t.slug or t.name}
        for (taxonomy, slug), name in self.item_terms.items():
            terms.setdefault((taxonomy, slug), wxr.Term(taxonomy, None, slug, name, "", ""))
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        known = {Kind.CATEGORY: self.mapped(Kind.CATEGORY), Kind.TAG: self.mapped(Kind.TAG)}
        for (taxonomy, slug), term in terms.items():
            if taxonomy == "category":
                self.categories[slug] = self._category(term, known[Kind.CATEGORY])
            else:
                self.tags[slug] = self._tag(term, known[Kind.TAG])
        parents = {t.slug: t.parent for t in terms.values() if t.taxonomy == "category"}
        for (taxonomy, slug), term in terms.items():
            old = self._category_path(slug, parents) if taxonomy == "category" else slug_path(slug)
            base = "/category/" if taxonomy == "category" else "/tag/"
            target = self.categories.get(slug) if taxonomy == "category" else self.tags.get(slug)
            if target is None:
                continue
            url = (
                target.get_absolute_url()
                if taxonomy == "category"
                else reverse("blog:tag-detail", kwargs={"slug": target.slug})
            )
            feed = (
                reverse("blog:category-feed", kwargs={"slug": target.slug})
                if taxonomy == "category"
                else reverse("blog:tag-feed", kwargs={"slug": target.slug})
            )
            self.book.add(f"{base}{old}/", url)
            self.book.add(f"{base}{old}/feed/", feed)
            if term.wp_id and taxonomy == "category":
                self.book.add(f"/?cat={term.wp_id}", url)
            if taxonomy == "post_tag":
                self.book.add(f"/?tag={slug_path(slug)}", url)

    def _category_path(self, slug: str, parents: dict[str, str]) -> str:
        chain, seen = [slug_path(slug)], {slug}
        while parents.get(slug) and parents[slug] not in seen:
            slug = parents[slug]
            seen.add(slug)
            chain.insert(0, slug_path(slug))
        return "/".join(chain)

    @staticmethod
    def _slug(term_slug: str, name: str, fallback: str) -> str:
        return (slugify(unquote(term_slug)) or slugify(name) or fallback)[:100]

    def _category(self, term: wxr.Term, known: dict[int, ImportedItem]) -> Category:
        name = plain_text(term.name)[:100] or term.slug
        description = plain_text(term.description)
        key = term.wp_id or zlib.crc32(f"category:{term.slug}".encode())
        earlier = known.get(key)
        category = Category.objects.filter(pk=earlier.object_id).first() if earlier else None
        if category is None:
            slug = self._slug(term.slug, name, f"category-{key}")
            category = (
                Category.objects.filter(slug=slug).first()
                or Category.objects.filter(name__iexact=name).first()
            )
            if category is None:
                if Category.objects.filter(name=name).exists():
                    name = f"{name} ({slug})"[:100]
                category = Category.objects.create(name=name, slug=slug, description=description)
                self.report.count("categories", "created")
            else:
                self.report.count("categories", "matched")
        elif description and category.description != description:
            category.description = description
            category.save(update_fields=["description"])
            self.report.count("categories", "updated")
        else:
            self.report.count("categories", "unchanged")
        if not earlier:
            self.remember(Kind.CATEGORY, key, category, new=True)
        return category

    def _tag(self, term: wxr.Term, known: dict[int, ImportedItem]) -> Tag:
        name = plain_text(term.name)[:100] or term.slug
        key = term.wp_id or zlib.crc32(f"tag:{term.slug}".encode())
        earlier = known.get(key)
        tag = Tag.objects.filter(pk=earlier.object_id).first() if earlier else None
        if tag is not None:
            self.report.count("tags", "unchanged")
            return tag
        slug = self._slug(term.slug, name, f"tag-{key}")
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.filter(slug=slug).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=slug)
            self.report.count("tags", "created")
        else:
            self.report.count("tags", "matched")
        self.remember(Kind.TAG, key, tag, new=earlier is None)
        return tag

    @staticmethod
    def _unique_tag_slug(slug: str) -> str:
        wanted, n = slug, 2
        while Tag.objects.filter(slug=slug).exists():
            slug, n = f"{wanted}-{n}", n + 1
        return slug
