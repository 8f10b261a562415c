from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.csrf import same_origin_post
from core.i18n import LANGUAGE_PARAM
from core.pagination import paginate
from core.throttle import RateLimited, client_ip
from core.tokens import ExpiredToken, InvalidToken
from subscriptions.emails import Composer
from subscriptions.follows import followed_by, target
from subscriptions.forms import EVERYTHING, FOLLOWED, FollowForm, PreferencesForm, SubscribeForm
from subscriptions.models import Digest, Subscriber
from subscriptions.services import (
    follow_confirm,
    follow_request,
    subscription_cancel,
    subscription_confirm,
    subscription_request,
    subscription_update,
)


def _bad_link(request: HttpRequest, *, expired: bool = False, stale: bool = False) -> HttpResponse:
    days = settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS
    context = {"expired": expired, "stale": stale, "days": days}
    return render(
        request, "subscriptions/link_invalid.html", context, status=400 if expired or stale else 404
    )


def _link(request: HttpRequest, url: str) -> str:
    """`url` in this page's language when the page was opened in one (`?lang=`, as the
    links in a Welsh email are): the next page of the same errand stays in it."""
    if LANGUAGE_PARAM in request.GET:
        return f"{url}?{urlencode({LANGUAGE_PARAM: translation.get_language()})}"
    return url


def _submit(form, send) -> tuple[bool, int, int | None]:
    """Validate `form` and call `send(cleaned_data)`: (done, status, Retry-After seconds)."""
    if not form.is_valid():
        return False, 400, None
    try:
        send(form.cleaned_data)
    except RateLimited as error:
        form.add_error(None, error.message)
        return False, error.status, error.retry_after
    return True, 200, None


def _form_page(request, template: str, context: dict, status: int, retry_after) -> HttpResponse:
    response = render(request, template, context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
@same_origin_post
@require_http_methods(["GET", "POST"])
def subscribe(request):
    status, retry_after = 200, None
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        done, status, retry_after = _submit(
            form,
            lambda data: subscription_request(
                email=data["email"],
                frequency=data["frequency"],
                tags=data["tags"],
                ip_address=client_ip(request),
            ),
        )
        if done:
            # The same answer for new, pending, subscribed and unsubscribed addresses.
            email = form.cleaned_data["email"]
            return render(request, "subscriptions/subscribe_done.html", {"email": email})
    else:
        form = SubscribeForm()
    context = {"form": form, "has_tags": bool(form.tag_objects)}
    return _form_page(request, "subscriptions/subscribe.html", context, status, retry_after)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        subscriber = Subscriber.objects.from_confirm_token(token)
    except ExpiredToken:
        return _bad_link(request, expired=True)
    except InvalidToken:
        return _bad_link(request)
    if subscriber.status in {Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.SUPPRESSED}:
        return _bad_link(request, stale=True)  # they left after asking: ask again
    if request.method == "POST":
        if subscription_confirm(subscriber=subscriber):
            messages.success(request, _("Thank you: your subscription is confirmed."))
        return redirect(_link(request, subscriber.get_manage_url()))
    return render(
        request,
        "subscriptions/subscription_confirm.html",
        {
            "email": subscriber.email,
            "is_pending": subscriber.status == Subscriber.Status.PENDING,
            "manage_url": _link(request, subscriber.get_manage_url()),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        subscriber = Subscriber.objects.from_token(token, "manage")
    except InvalidToken:
        return _bad_link(request)
    selected = list(subscriber.tags.all())
    followed = followed_by(subscriber)
    status = 200
    form = None
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        if request.method == "POST":
            try:
                subscription_request(
                    email=subscriber.email,
                    frequency=subscriber.frequency,
                    tags=selected,
                    ip_address=client_ip(request),
                )
            except RateLimited as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("We have emailed you a link to confirm your subscription.")
                )
            return redirect(_link(request, request.path))
    elif subscriber.status != Subscriber.Status.SUPPRESSED:
        if request.method == "POST":
            form = PreferencesForm(request.POST, selected_tags=selected, followed=followed)
            if form.is_valid():
                subscription_update(
                    subscriber=subscriber,
                    frequency=form.cleaned_data["frequency"],
                    tags=form.cleaned_data["tags"],
                    everything=form.cleaned_data.get("everything"),
                    keep_follows=form.cleaned_data.get("follows"),
                    language=form.cleaned_data.get("language"),
                )
                messages.success(request, _("Your choices are saved."))
                return redirect(_link(request, request.path))
            status = 400
        else:
            form = PreferencesForm(
                initial={
                    "frequency": subscriber.frequency,
                    "tags": [tag.pk for tag in selected],
                    "follows": [t.value for t in followed],
                    "everything": EVERYTHING if subscriber.everything else FOLLOWED,
                    "language": subscriber.email_language,
                },
                selected_tags=selected,
                followed=followed,
            )
    return render(
        request,
        "subscriptions/subscription_manage.html",
        {
            "email": subscriber.email,
            "status": subscriber.status,
            "form": form,
            "has_tags": bool(form and form.tag_objects),
            "followed": followed,
            "selected_tags": selected,
            "everything": subscriber.everything,
            "unsubscribe_url": _link(request, subscriber.get_unsubscribe_url()),
        },
        status=status,
    )


# The token is the authority here, and RFC 8058 one-click unsubscribe arrives as a POST
# ("List-Unsubscribe=One-Click") from the mail provider, with no CSRF token and no page.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscriber = Subscriber.objects.from_token(token, "unsubscribe")
    except InvalidToken:
        return _bad_link(request)
    if request.method == "POST":
        subscription_cancel(subscriber=subscriber)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(
                _("Unsubscribed."), content_type="text/plain; charset=utf-8", status=200
            )
    return render(
        request,
        "subscriptions/subscription_unsubscribe.html",
        {
            "email": subscriber.email,
            "done": subscriber.status == Subscriber.Status.UNSUBSCRIBED,
            "manage_url": _link(request, subscriber.get_manage_url()),
        },
    )


@never_cache
@same_origin_post
@require_http_methods(["GET", "POST"])
def follow(request):
    """Follow one organisation, inspectorate, tag or author: the box on their pages posts
    here; GET (with ?kind=&target=) shows the same form on a page of its own."""
    status, retry_after = 200, None
    if request.method == "POST":
        form = FollowForm(request.POST)
        done, status, retry_after = _submit(
            form,
            lambda data: follow_request(
                email=data["email"],
                kind=data["kind"],
                target_id=data["target"],
                ip_address=client_ip(request),
            ),
        )
        followed = form.cleaned_data.get("followed")
        if done:
            # The same answer whether or not the address is known or already follows.
            context = {"email": form.cleaned_data["email"], "followed": followed}
            return render(request, "subscriptions/follow_done.html", context)
    else:
        form = FollowForm(initial=request.GET.dict())
        kind, pk = request.GET.get("kind", ""), request.GET.get("target", "")
        followed = target(kind, int(pk)) if pk.isdigit() and len(pk) < 19 else None
        if followed is None:
            raise Http404(_("There is nothing to follow here."))
    context = {"form": form, "followed": followed}
    return _form_page(request, "subscriptions/follow.html", context, status, retry_after)


@never_cache
@require_http_methods(["GET", "POST"])
def follow_confirm_view(request, token):
    try:
        subscriber, kind, target_id = Subscriber.objects.from_follow_token(token)
    except ExpiredToken:
        return _bad_link(request, expired=True)
    except InvalidToken:
        return _bad_link(request)
    followed = target(kind, target_id)
    if followed is None:
        return _bad_link(request)
    if not subscriber.is_receiving:
        return _bad_link(request, stale=True)
    if request.method == "POST":
        if follow_confirm(subscriber=subscriber, kind=kind, target_id=target_id):
            messages.success(request, _("You now follow %(name)s.") % {"name": followed.name})
        return redirect(_link(request, subscriber.get_manage_url()))
    return render(
        request,
        "subscriptions/follow_confirm.html",
        {
            "email": subscriber.email,
            "followed": followed,
            "manage_url": _link(request, subscriber.get_manage_url()),
        },
    )


NEWSLETTERS_PER_PAGE = 30


def newsletter_list(request):
    """The archive of digests: what subscribers were sent, for anyone to read."""
    digests = Digest.objects.annotate(
        article_count=Count("articles", distinct=True),
        inspection_count=Count("inspections", distinct=True),
    ).order_by("-until", "-pk")
    page = paginate(request, digests, per_page=NEWSLETTERS_PER_PAGE)
    return render(
        request,
        "subscriptions/newsletter_list.html",
        {"page_obj": page, "digests": page.object_list},
    )


def newsletter_detail(request, pk: int):
    """One digest as a web page: every item it carried that is still public, and no
    personal link (the subscribe form instead)."""
    digest = get_object_or_404(Digest, pk=pk)
    composer = Composer(digest_ids=[digest.pk])
    return render(
        request,
        "subscriptions/newsletter_detail.html",
        {
            "digest": digest,
            "articles": composer.digest_articles[digest.pk],
            "inspections": composer.digest_inspections[digest.pk],
        },
    )
