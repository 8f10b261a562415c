import logging

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.http import QueryDict
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from taggit.forms import TagWidget
from taggit.models import Tag

from blog.images import body_missing_alt, image_clean
from blog.models import Article, Category, Image, TaggedArticle

STANDFIRST_HINT = 300
# What the body editor offers; blog.sanitise's allowlist (applied on save) is the last word.
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Image": True,
    # An image in the body is a figure: the "Browse…" button opens the media library's
    # picker (upload with alt text, or choose), blog.media_library.picker_view.
    "Figure": {"pickerUrl": reverse_lazy("admin:blog_image_picker")},
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}
AUTHOR_STATUSES = [Article.Status.DRAFT, Article.Status.REVIEW]

logger = logging.getLogger(__name__)


TAG_SUGGESTIONS = 500
LIBRARY_CHOICES = 200


class VerifiedImageField(forms.ImageField):
    """An image upload checked by blog.images (type, size, pixels, damage), EXIF removed."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return image_clean(upload).file


class TagAutocompleteWidget(TagWidget):
    """Taggit's comma-separated box with the known tags offered as the user types."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.suggestions: list[str] = []

    class Media:
        js = ["js/admin-tags.js"]

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id', name)}-suggestions"
        attrs = {
            **(attrs or {}),
            "list": list_id,
            "data-tag-suggestions": "",
            "autocomplete": "off",
        }
        options = format_html_join("", '<option value="{}">', ((s,) for s in self.suggestions))
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            super().render(name, value, attrs, renderer),
            list_id,
            options,
        )


class ArticleAdminForm(forms.ModelForm):
    # Set by ArticleAdmin.get_form for the user in hand; `recovered` is an autosave's
    # {name: [values]}, shown in place of the saved values until the form is posted.
    can_publish = False
    library_user = None  # whose library images "or reuse an image" offers (None: all)
    recovered: dict[str, list[str]] | None = None

    body = ProseEditorFormField(
        label=_("Body"),
        required=False,
        config={"extensions": BODY_EXTENSIONS},
        widget=AdminProseEditorWidget,
        help_text=_("Cleaned when saved: scripts, styles and unsafe links are removed."),
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "author",
            "standfirst",
            "body",
            "featured_image",
            "featured_image_alt",
            "featured_image_caption",
            "featured_image_credit",
            "category",
            "tags",
            "related_inspections",
            "status",
            "published_at",
            "comments_open",
            "meta_description",
            "language",
        ]
        field_classes = {"featured_image": VerifiedImageField}
        widgets = {
            "title": forms.TextInput(attrs={"class": "vTextField desk-title"}),
            "standfirst": forms.Textarea(
                attrs={"rows": 3, "maxlength": STANDFIRST_HINT, "data-counter": ""}
            ),
            "meta_description": forms.TextInput(
                attrs={"class": "vTextField", "maxlength": 160, "data-counter": ""}
            ),
        }
        help_texts = {
            "standfirst": _("One or two sentences under the title; at most %(count)d characters.")
            % {"count": STANDFIRST_HINT},
            "meta_description": _(
                "For search engines and link previews, at most 160 characters; the "
                "standfirst is used when empty."
            ),
        }

    library_image = forms.ChoiceField(
        label=_("or reuse an image"),
        required=False,
        help_text=_("An image already used on the site (see the media library)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The media library's images (featured or in a body) the user may see: an author
        # reuses only their own uploads.
        images = Image.objects.all()
        if self.library_user is not None:
            images = images.visible_to(self.library_user)
        names = images.values_list("file", flat=True)
        self.fields["library_image"].choices = [
            ("", "—"),
            *((name, name) for name in names[:LIBRARY_CHOICES]),
        ]
        tags = self.fields.get("tags")
        if tags is not None:
            tags.widget = TagAutocompleteWidget(tags.widget.attrs)
            tags.widget.suggestions = list(
                Tag.objects.filter(pk__in=TaggedArticle.objects.values("tag_id"))
                .order_by("name")
                .values_list("name", flat=True)[:TAG_SUGGESTIONS]
            )
        status = self.fields.get("status")
        if status is not None and not self.can_publish:
            status.choices = [
                (value, label) for value, label in status.choices if value in AUTHOR_STATUSES
            ]
            status.help_text = _("Choose “In review” when the article is ready for an editor.")
        if self.recovered and not self.is_bound:
            self.initial.update(self._recovered_initial())

    def _recovered_initial(self) -> dict:
        """The autosave's values in the shape each widget renders (split dates, lists)."""
        data = QueryDict(mutable=True)
        for name, values in self.recovered.items():
            data.setlist(name, values)
        return {
            name: field.widget.value_from_datadict(data, {}, self.add_prefix(name))
            for name, field in self.fields.items()
            if not isinstance(field, forms.FileField) and not field.disabled
        }

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        missing = body_missing_alt(body)
        if missing:
            raise forms.ValidationError(
                ngettext(
                    "%(count)d image in the body has no alt text: describe it for people "
                    "who cannot see it (edit the image and fill in “Alternative Text”).",
                    "%(count)d images in the body have no alt text: describe them for people "
                    "who cannot see them (edit each image and fill in “Alternative Text”).",
                    missing,
                )
                % {"count": missing},
                code="image_alt",
            )
        return body

    def clean_status(self):
        status = self.cleaned_data["status"]
        if not self.can_publish and status not in AUTHOR_STATUSES:
            raise forms.ValidationError(_("Only an editor can publish or schedule an article."))
        return status

    def clean(self):
        cleaned = super().clean()
        reused = cleaned.get("library_image")
        if reused and "featured_image" in self.fields and not self.files.get("featured_image"):
            cleaned["featured_image"] = reused
        image = cleaned.get("featured_image")
        if image and not cleaned.get("featured_image_alt", "").strip():
            self.add_error(
                "featured_image_alt",
                _("Describe the image for people who cannot see it (alt text is required)."),
            )
        if image and self.files.get("featured_image") and not self.errors:
            cleaned["featured_image"] = self._store_upload(image)
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()  # "Publish" with no date: now
            self.instance.published_at = cleaned["published_at"]
        return cleaned

    def _store_upload(self, upload) -> str:
        """Write the new image now, so a full or failing disk is a form error, not a half-saved
        article; the model then records the stored name and writes no file itself."""
        field = Article._meta.get_field("featured_image")
        try:
            return field.storage.save(field.generate_filename(self.instance, upload.name), upload)
        except OSError:
            logger.exception("Could not store an uploaded image")
            raise forms.ValidationError(
                {
                    "featured_image": _(
                        "The image could not be stored: the server may be out of disk space. "
                        "Nothing was saved; please try again later."
                    )
                }
            ) from None


class CategoryChoiceForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        required=False,
        label=_("Category"),
        empty_label=_("(category for “Change category”)"),
    )


class CategoryActionForm(ActionForm, CategoryChoiceForm):
    """The admin's action bar, with the category that "Change category" files articles under."""
