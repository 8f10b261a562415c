from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from subscriptions.follows import Target, target
from subscriptions.models import Follow, Subscriber, offered_tags

EVERYTHING, FOLLOWED = "all", "followed"


def _language_choices() -> list[tuple[str, str]]:
    """Each language in its own words, as the language switcher names them."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class LanguageSelect(forms.Select):
    """Marks each option with its language (WCAG 3.1.2: "Cymraeg" in an English page)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class PreferencesForm(forms.Form):
    everything = forms.ChoiceField(
        label=_("What to send"),
        choices=[
            (EVERYTHING, _("Everything new: every article and inspection")),
            (FOLLOWED, _("Only what I follow")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.DAILY,
        widget=forms.RadioSelect,
    )
    tags = forms.TypedMultipleChoiceField(
        label=_("Topics"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Articles and inspections about these. Tick none to hear about everything."),
    )
    follows = forms.MultipleChoiceField(
        label=_("Organisations, inspectorates and authors you follow"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick one to stop following it."),
    )
    language = forms.ChoiceField(
        label=_("Email language"),
        choices=_language_choices,
        required=False,  # left out: unchanged
        widget=LanguageSelect,
        help_text=_("The language of the emails we send you."),
    )

    def __init__(self, *args, selected_tags=(), followed: list[Target] = (), scope=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.followed = list(followed)
        if self.followed:
            self.fields["follows"].choices = [
                (t.value, f"{t.name} ({t.kind_label})") for t in self.followed
            ]
        else:
            del self.fields["follows"]
        if not scope:  # the subscribe form: ticking no topic means everything
            del self.fields["everything"]
            del self.fields["language"]  # the interface's, as the reader subscribes
        # Read here, in the view, so the template never queries; a subscriber's own tags
        # stay on offer even when they are no longer among the most used.
        self.tag_objects = {
            tag.pk: tag for tag in offered_tags(include=[tag.pk for tag in selected_tags])
        }
        self.fields["tags"].choices = [(pk, tag.name) for pk, tag in self.tag_objects.items()]

    def clean_tags(self):
        return [self.tag_objects[pk] for pk in self.cleaned_data["tags"]]

    def clean_follows(self) -> list[tuple[str, int]]:
        chosen = set(self.cleaned_data["follows"])
        return [(t.kind, t.pk) for t in self.followed if t.value in chosen]

    def clean_everything(self) -> bool | None:
        value = self.cleaned_data["everything"]
        return None if not value else value == EVERYTHING


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    field_order = ["email", "frequency", "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, scope=False, **kwargs)


class FollowForm(forms.Form):
    """Follow one organisation, inspectorate, tag or author (the box on their pages)."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(choices=Follow.Kind.choices, widget=forms.HiddenInput)
    target = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if "kind" in data and "target" in data:
            data["followed"] = target(data["kind"], data["target"])
            if data["followed"] is None:
                raise forms.ValidationError(
                    _("There is nothing to follow here any more."), code="gone"
                )
        elif "email" in data:  # a tampered or truncated form: the hidden fields are ours
            raise forms.ValidationError(_("There is nothing to follow here."), code="invalid")
        return data
