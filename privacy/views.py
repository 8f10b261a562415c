import functools
import json

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.personal_data import Holding, personal_data_sources, retention_days
from core.throttle import RateLimited, client_ip
from core.tokens import ExpiredToken, InvalidToken
from privacy.forms import DataRequestForm
from privacy.models import DataRequest
from privacy.services import data_erase, data_export, data_request_send, data_summary


def _editors_introduction():
    """The editors' own words for the page: the flat page at /privacy/, if there is one."""
    if not apps.is_installed("django.contrib.flatpages"):
        return None
    from django.contrib.flatpages.models import FlatPage

    page = FlatPage.objects.filter(url="/privacy/", sites=settings.SITE_ID).first()
    if page is not None:
        page.content = mark_safe(page.content)  # editors' HTML, as flatpages shows it
    return page


def _own_holdings() -> list[Holding]:
    hours = settings.PRIVACY_LINK_MAX_AGE_HOURS
    return [
        Holding(
            what=_("The address you ask about when you ask for your data, if we hold any."),
            why=_("So that the link we email you can find your data."),
            kept=_("%(hours)d hours, as long as the link works; at once if you erase your data.")
            % {"hours": hours},
        )
    ]


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice: what is kept, why and for how long, from the live settings."""
    sections = [(str(source.label), source.notice()) for source in personal_data_sources()]
    sections.append((_("Requests for your data"), _own_holdings()))
    context = {
        "page": _editors_introduction(),
        "sections": sections,
        "retention_days": retention_days(),
    }
    return render(request, "privacy/notice.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    status, retry_after = 200, None
    if request.method == "POST":
        form = DataRequestForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                data_request_send(email=email, ip_address=client_ip(request))
            except RateLimited as error:
                form.add_error(None, error.message)
                status, retry_after = error.status, error.retry_after
            else:
                # The same answer whether or not we hold anything about the address.
                context = {"email": email, "hours": settings.PRIVACY_LINK_MAX_AGE_HOURS}
                return render(request, "privacy/request_done.html", context)
        else:
            status = 400
    else:
        form = DataRequestForm()
    response = render(request, "privacy/request_form.html", {"form": form}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def with_data_request(view):
    """Resolve the link's token to its DataRequest for `view`; a forged or spent link
    answers 404, an expired one 400, both with a way to ask again."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            data_request = DataRequest.objects.from_token(token)
        except ExpiredToken:
            expired, status = True, 400
        except InvalidToken:
            expired, status = False, 404
        else:
            return view(request, data_request, token)
        context = {"expired": expired, "hours": settings.PRIVACY_LINK_MAX_AGE_HOURS}
        return render(request, "privacy/link_invalid.html", context, status=status)

    return wrapper


@never_cache
@require_GET
@with_data_request
def request_detail(request: HttpRequest, data_request: DataRequest, token: str) -> HttpResponse:
    """What is held about the link's address, with the download and the erasure (a POST)."""
    context = {
        "email": data_request.email,
        "summary": data_summary(email=data_request.email),
        "token": token,
    }
    return render(request, "privacy/request_detail.html", context)


@never_cache
@require_GET
@with_data_request
def request_download(request: HttpRequest, data_request: DataRequest, token: str) -> HttpResponse:
    body = json.dumps(data_export(email=data_request.email), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.json"'
    return response


@never_cache
@require_POST
@with_data_request
def request_erase(request: HttpRequest, data_request: DataRequest, token: str) -> HttpResponse:
    """Erase everything held about the link's address. A POST only, so that a link
    scanner following the emailed link never erases anything."""
    data_erase(email=data_request.email)
    return render(request, "privacy/erase_done.html", {"email": data_request.email})
