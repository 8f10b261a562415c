"""Redirects: every planned old address written as a django.contrib.redirects row."""

from django.conf import settings
from django.contrib.flatpages.views import flatpage
from django.contrib.redirects.models import Redirect
from django.urls import Resolver404, resolve

from blog.views import legacy_redirect
from wordpress.addresses import MAX_OLD_PATH
from wordpress.services.state import ImportState


class RedirectsStep(ImportState):
    """The last step: the address book, less what this site answers itself."""

    def import_redirects(self) -> None:
        planned = self.book.redirects()
        too_long = [old for old in planned if len(old) > MAX_OLD_PATH]
        for old in too_long:
            del planned[old]
        if too_long:
            self.report.skip("redirects", f"old address longer than {MAX_OLD_PATH}", len(too_long))
        live = [old for old in planned if "?" not in old and _answered_here(old)]
        for old in live:
            del planned[old]
        if live:
            self.report.skip("redirects", "addresses this site answers itself", len(live))
        site_id = settings.SITE_ID
        olds = sorted(planned)
        create, update = [], []
        for start in range(0, len(olds), 500):
            chunk = olds[start : start + 500]
            existing = {
                r.old_path: r for r in Redirect.objects.filter(site_id=site_id, old_path__in=chunk)
            }
            for old in chunk:
                redirect = existing.get(old)
                if redirect is None:
                    create.append(Redirect(site_id=site_id, old_path=old, new_path=planned[old]))
                elif redirect.new_path != planned[old]:
                    redirect.new_path = planned[old]
                    update.append(redirect)
                else:
                    self.report.count("redirects", "unchanged")
            self.progress("redirects", min(start + 500, len(olds)), len(olds))
        Redirect.objects.bulk_create(create, batch_size=1000)
        Redirect.objects.bulk_update(update, ["new_path"], batch_size=1000)
        self.report.count("redirects", "created", len(create))
        self.report.count("redirects", "updated", len(update))


def _answered_here(path: str) -> bool:
    """Whether a page of this site (not a fallback for old addresses) is at `path`."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func not in {flatpage, legacy_redirect}
