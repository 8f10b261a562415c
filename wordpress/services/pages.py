"""Pages → flat pages at their hierarchical address (published and private ones)."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage

from blog.sanitise import sanitise_html
from wordpress import wxr
from wordpress.services.state import ImportState
from wordpress.services.values import NOT_IMPORTED_STATUSES, Kind, fingerprint, plain_text


class PagesStep(ImportState):
    """Each page as the second pass reaches it."""

    def import_page(self, item: wxr.Item) -> None:
        if item.wp_id not in self.page_urls:
            reason = NOT_IMPORTED_STATUSES.get(
                item.status, "not published (flat pages have no drafts)"
            )
            self.report.skip("pages", reason)
            return
        earlier = self.known_pages.get(item.wp_id)
        page = FlatPage.objects.filter(pk=earlier.object_id).first() if earlier else None
        if earlier and page is None:
            self.report.skip("pages", "deleted here since an earlier import")
            return
        item_fp = fingerprint(item.title, item.content, item.status, item.password, item.parent)
        if page is not None and earlier.fingerprint == item_fp:
            self.report.count("pages", "unchanged")
            return
        is_new = page is None
        page = page or FlatPage(url=self.page_urls[item.wp_id])
        page.title = (plain_text(item.title) or f"Untitled ({item.wp_id})")[:200]
        body, _notes = self.converter.convert(item.content, post_id=item.wp_id)
        page.content = sanitise_html(body)
        page.registration_required = item.status == "private" or bool(item.password)
        if page.registration_required:
            self.report.note(f"{item.label}: private or password-protected; staff only here")
        page.save()
        page.sites.add(settings.SITE_ID)
        self.remember(Kind.PAGE, item.wp_id, page, fp=item_fp, guid=item.guid, old_url=item.link)
        self.report.count("pages", "created" if is_new else "updated")
