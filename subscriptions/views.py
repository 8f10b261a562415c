from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.csrf import same_origin_post
from core.throttle import RateLimited, client_ip
from core.tokens import ExpiredToken, InvalidToken
from subscriptions.forms import PreferencesForm, SubscribeForm
from subscriptions.models import Subscriber
from subscriptions.services import (
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


@never_cache
@same_origin_post
@require_http_methods(["GET", "POST"])
def subscribe(request):
    status = 200
    retry_after = None
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                subscription_request(
                    email=data["email"],
                    frequency=data["frequency"],
                    tags=data["tags"],
                    ip_address=client_ip(request),
                )
            except RateLimited as error:
                form.add_error(None, error.message)
                status, retry_after = error.status, error.retry_after
            else:
                # The same answer for new, pending, subscribed and unsubscribed addresses.
                return render(
                    request, "subscriptions/subscribe_done.html", {"email": data["email"]}
                )
        else:
            status = 400
    else:
        form = SubscribeForm()
    context = {"form": form, "has_tags": bool(form.tag_objects)}
    response = render(request, "subscriptions/subscribe.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


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
        return redirect(subscriber.get_manage_url())
    return render(
        request,
        "subscriptions/subscription_confirm.html",
        {
            "email": subscriber.email,
            "is_pending": subscriber.status == Subscriber.Status.PENDING,
            "manage_url": subscriber.get_manage_url(),
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
            return redirect(request.path)
    elif subscriber.status != Subscriber.Status.SUPPRESSED:
        if request.method == "POST":
            form = PreferencesForm(request.POST, selected_tags=selected)
            if form.is_valid():
                subscription_update(
                    subscriber=subscriber,
                    frequency=form.cleaned_data["frequency"],
                    tags=form.cleaned_data["tags"],
                )
                messages.success(request, _("Your choices are saved."))
                return redirect(request.path)
            status = 400
        else:
            form = PreferencesForm(
                initial={"frequency": subscriber.frequency, "tags": [tag.pk for tag in selected]},
                selected_tags=selected,
            )
    return render(
        request,
        "subscriptions/subscription_manage.html",
        {
            "email": subscriber.email,
            "status": subscriber.status,
            "form": form,
            "has_tags": bool(form and form.tag_objects),
            "unsubscribe_url": subscriber.get_unsubscribe_url(),
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
            "manage_url": subscriber.get_manage_url(),
        },
    )
