from django import forms
from django.utils.translation import gettext_lazy as _

from subscriptions.models import Subscriber, offered_tags


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.DAILY,
        widget=forms.RadioSelect,
    )
    tags = forms.TypedMultipleChoiceField(
        label=_("Only articles about"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to hear about every article."),
    )

    def __init__(self, *args, selected_tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Read here, in the view, so the template never queries; a subscriber's own tags
        # stay on offer even when they are no longer among the most used.
        self.tag_objects = {
            tag.pk: tag for tag in offered_tags(include=[tag.pk for tag in selected_tags])
        }
        self.fields["tags"].choices = [(pk, tag.name) for pk, tag in self.tag_objects.items()]

    def clean_tags(self):
        return [self.tag_objects[pk] for pk in self.cleaned_data["tags"]]


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    field_order = ["email", "frequency", "tags"]
