import math
import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, comments_open_for
from comments.text import clean_text

FORM_TOKEN_SALT = "comments.form-started"


def target_key(target: models.Model) -> str:
    return f"{target._meta.label_lower}:{target.pk}"


def form_token(target: models.Model, when: float | None = None) -> str:
    """A signed note of when the form was shown, and for which target."""
    return signing.dumps([target_key(target), when or time.time()], salt=FORM_TOKEN_SALT)


STARTED_FIELD = re.compile(rb'(name="started" value=")([^"]+)(")')


class _SecondsTokens:
    """The tokens restamped in the current second, by the token they replace: a busy cached
    page signs its form once a second rather than on every read."""

    def __init__(self):
        self.second, self.tokens = 0, {}

    def get(self, second: int, old: bytes) -> bytes | None:
        return self.tokens.get(old) if second == self.second else None

    def put(self, second: int, old: bytes, token: bytes) -> None:
        if second != self.second:
            self.second, self.tokens = second, {}
        self.tokens[old] = token


_restamped = _SecondsTokens()


def restamp(content: bytes, when: float) -> bytes:
    """The page's comment forms as if shown at `when` (for pages served from a cache): at
    the end of that second, so that the minimum time on the form is never shortened."""
    second = math.ceil(when)

    def stamp(match: re.Match) -> bytes:
        if second and (token := _restamped.get(second, match[2])) is not None:
            return match[1] + token + match[3]
        try:
            key, _started = signing.loads(match[2].decode(), salt=FORM_TOKEN_SALT)
        except (signing.BadSignature, TypeError, ValueError):
            return match[0]
        if not second:
            # A fixed stamp for comparing pages (the ETag); signed tokens carry the second
            # they were signed in, so restamping would make the ETag change every second.
            return match[1] + b"-" + match[3]
        token = signing.dumps([key, second], salt=FORM_TOKEN_SALT).encode()
        _restamped.put(second, match[2], token)
        return match[1] + token + match[3]

    return STARTED_FIELD.sub(stamp, content) if b'name="started"' in content else content


def seconds_since(token: str, target: models.Model) -> float | None:
    """Seconds since `token` was issued for `target`; None when missing, forged or misused."""
    try:
        key, started = signing.loads(token, salt=FORM_TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if key != target_key(target) or not isinstance(started, int | float):
        return None
    return time.time() - started


def _attrs(attrs: dict) -> str:
    html = []
    for name, value in attrs.items():
        if value is True:
            html.append(f" {conditional_escape(name)}")
        elif value is not False:
            html.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(html)


def _input(context: dict) -> str:
    widget = context["widget"]
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


def _textarea(context: dict) -> str:
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _error_list(context: dict) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    id_attr = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{id_attr}>{items}</ul>'


_WRITERS = {
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in ("text", "email", "url", "hidden", "checkbox")
    },
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/errors/list/default.html": _error_list,
}


class WidgetRenderer(DjangoTemplates):
    """Django's form renderer with the comment form's plain widgets and error lists written
    out in Python: the HTML of Django's own templates (the attributes, `aria-describedby`
    and `aria-invalid` still come from Django), without a template render for each, which
    was a fifth of an article page's time."""

    def render(self, template_name, context, request=None):
        write = _WRITERS.get(template_name)
        if write is None:
            return super().render(template_name, context, request)
        return write(context)


class CommentForm(forms.Form):
    default_renderer = WidgetRenderer()

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Only our editors can see it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    body = forms.CharField(
        label=_("Comment"),
        help_text=_("Plain text. Web addresses become links; HTML is shown as typed."),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
    )
    notify_replies = forms.BooleanField(
        label=_("Email me when someone replies to my comment"), required=False
    )
    remember = forms.BooleanField(
        label=_("Remember my name, email and website in a cookie on this browser"),
        required=False,
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # A trap for robots: hidden from people (CSS, aria-hidden, no tab stop), filled by bots.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, target: models.Model, **kwargs):
        kwargs.setdefault("auto_id", "comment-form-%s")  # unique beside other forms on a page
        super().__init__(*args, **kwargs)
        self.target = target
        max_length = settings.COMMENTS_MAX_LENGTH
        self.fields["body"].validators.append(MaxLengthValidator(max_length))
        self.fields["body"].widget.attrs["maxlength"] = str(max_length)
        if not self.is_bound:
            self.initial.setdefault("started", form_token(target))

    def clean_name(self) -> str:
        name = clean_text(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Please give a name."), code="required")
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_website(self) -> str:
        return clean_text(self.cleaned_data["website"])

    def clean_body(self) -> str:
        body = clean_text(self.cleaned_data["body"], multiline=True)
        if not body:
            raise forms.ValidationError(_("Please write a comment."), code="required")
        return body

    def clean(self):
        cleaned = super().clean()
        if not comments_open_for(self.target):
            raise forms.ValidationError(_("Comments are closed here."), code="closed")
        if cleaned.get("parent") is not None:
            parent = (
                Comment.objects.approved()
                .for_target(self.target)
                .filter(pk=cleaned["parent"])
                .first()
            )
            if parent is None:
                raise forms.ValidationError(
                    _("The comment you are replying to is not on this page."),
                    code="invalid_parent",
                )
            cleaned["parent"] = parent
        cleaned["seconds_on_form"] = seconds_since(cleaned.get("started") or "", self.target)
        return cleaned
