from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from comments.forms import CommentForm
from comments.models import (
    Comment,
    ThreadNode,
    comment_feed_url,
    comments_open_for,
    public_targets,
)
from comments.services import CommentError, comment_notifications_stop, comment_submit
from core.csrf import same_origin_post
from core.throttle import RateLimited, client_ip

REMEMBER_COOKIE = "comment_author"
REMEMBER_SALT = "comments.remember-author"
REMEMBERED_FIELDS = ("name", "email", "website")


@dataclass(frozen=True)
class CommentSection:
    """Everything `comments/_section.html` shows under a target; built by comment_section()."""

    target_title: str
    target_url: str
    nodes: list[ThreadNode]
    count: int
    is_open: bool
    form: CommentForm | None
    post_url: str
    feed_url: str
    replying_to: Comment | None


def comment_section(request: HttpRequest, target: models.Model) -> CommentSection:
    """The thread and form for a target's page: one query, whatever the number of comments.

    `?replytocom=<id>` (the reply links, for readers without JavaScript) points the form
    at that comment.
    """
    thread = Comment.objects.thread_for(target)
    is_open = comments_open_for(target)
    replying_to = form = None
    if is_open:
        replying_to = thread.comments.get(_int(request.GET.get("replytocom")))
        initial = remembered_author(request)
        if replying_to is not None:
            initial["parent"] = replying_to.pk
        form = CommentForm(target=target, initial=initial)
    return CommentSection(
        target_title=str(target),
        target_url=target.get_absolute_url(),
        nodes=thread.nodes,
        count=thread.count,
        is_open=is_open,
        form=form,
        post_url=post_url(target),
        feed_url=comment_feed_url(target),
        replying_to=replying_to,
    )


def post_url(target: models.Model) -> str:
    return reverse(
        "comments:comment-post",
        kwargs={"target": target._meta.label_lower, "object_id": target.pk},
    )


def remembered_author(request: HttpRequest) -> dict:
    """Name, email and website from the reader's signed cookie (only if they asked)."""
    try:
        data = signing.loads(request.COOKIES.get(REMEMBER_COOKIE, ""), salt=REMEMBER_SALT)
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    initial = {key: data[key] for key in REMEMBERED_FIELDS if isinstance(data.get(key), str)}
    return {**initial, "remember": True} if initial else {}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _form_page(request, target, form, status: int) -> HttpResponse:
    parent = form.cleaned_data.get("parent")
    context = {
        "target_title": str(target),
        "target_url": target.get_absolute_url(),
        "form": form,
        "post_url": post_url(target),
        "replying_to": parent if isinstance(parent, Comment) else None,
    }
    return render(request, "comments/comment_form.html", context, status=status)


@same_origin_post
@require_POST
def comment_post(request, target, object_id):
    try:
        targets = public_targets(target)
    except LookupError:
        raise Http404(_("Comments cannot be left there.")) from None
    obj = get_object_or_404(targets, pk=object_id)
    form = CommentForm(request.POST, target=obj)
    if not form.is_valid():
        return _form_page(request, obj, form, status=400)
    data = form.cleaned_data
    try:
        submission = comment_submit(
            target=obj,
            parent=data["parent"],
            name=data["name"],
            email=data["email"],
            website=data["website"],
            body=data["body"],
            notify_replies=data["notify_replies"],
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            seconds_on_form=data["seconds_on_form"],
            honeypot=data["homepage"],
        )
    except RateLimited as error:
        form.add_error(None, error.message)
        response = _form_page(request, obj, form, status=error.status)
        response["Retry-After"] = str(error.retry_after)
        return response
    except CommentError as error:
        form.add_error(error.field, error.message)
        return _form_page(request, obj, form, status=error.status)

    if submission.is_public:
        response = redirect(f"{obj.get_absolute_url()}#{submission.comment.anchor}")
    else:
        # Held, spam and honeypot hits get the same answer, so robots learn nothing.
        messages.info(
            request,
            _(
                "Thank you. Your comment is waiting for moderation and will appear "
                "once an editor has approved it."
            ),
        )
        response = redirect(obj.get_absolute_url())
    _remember_author(response, data)
    return response


def _remember_author(response: HttpResponse, data: dict) -> None:
    if not data["remember"]:
        response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
        return
    response.set_cookie(
        REMEMBER_COOKIE,
        signing.dumps({key: data[key] for key in REMEMBERED_FIELDS}, salt=REMEMBER_SALT),
        max_age=settings.COMMENTS_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# The signed token is the authority, and RFC 8058 one-click unsubscribe arrives as a POST
# from the mail provider, without a CSRF token.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def notification_stop(request, token):
    comment = Comment.objects.from_stop_token(token)
    if comment is None:
        raise Http404(_("This link is not valid."))
    stopped = request.method == "POST"
    if stopped:
        comment_notifications_stop(comment=comment)
    return render(request, "comments/notification_stop.html", {"stopped": stopped})
