import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.models import DataRequest
from privacy.services import data_erase, data_export, data_summary


def _addresses(queryset) -> list[str]:
    """The addresses of the selected requests, each once whatever its letter case."""
    found: dict[str, str] = {}
    for email in queryset.order_by("email").values_list("email", flat=True):
        found.setdefault(email.lower(), email)
    return list(found.values())


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    """Data requests made by readers through the site, or by editors on a reader's behalf
    (a letter, a phone call): add the address, then download or erase with the actions."""

    list_display = ["email", "requested_at"]
    search_fields = ["email"]
    date_hierarchy = "requested_at"
    fields = ["email", "requested_at", "held"]
    readonly_fields = ["requested_at", "held"]
    actions = ["download", "erase"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["email", *self.readonly_fields]
        return ["requested_at"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is not None else ["email"]

    @admin.display(description=_("what we hold"))
    def held(self, obj):
        summary = data_summary(email=obj.email)
        if not summary:
            return _("Nothing.")
        return format_html_join(
            "", "<p><strong>{}:</strong> {}</p>", ((held.label, held.line) for held in summary)
        )

    @admin.action(description=_("Download everything held about these addresses"))
    def download(self, request, queryset):
        exports = [data_export(email=email) for email in _addresses(queryset)]
        body = json.dumps(exports, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.json"'
        return response

    @admin.action(
        description=_("Erase everything held about these addresses"), permissions=["delete"]
    )
    def erase(self, request, queryset):
        emails = _addresses(queryset)
        if request.POST.get("post") == "yes":
            for email in emails:
                data_erase(email=email)
            self.message_user(
                request,
                ngettext(
                    "Erased the data held about %(count)d address.",
                    "Erased the data held about %(count)d addresses.",
                    len(emails),
                )
                % {"count": len(emails)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase readers' data?"),
            "opts": self.model._meta,
            "queryset": queryset,
            "held": [(email, data_summary(email=email)) for email in emails],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "erase",
        }
        return TemplateResponse(request, "admin/privacy/erase_confirmation.html", context)
