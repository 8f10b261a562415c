from django import template

from subscriptions.models import Subscriber

register = template.Library()


@register.simple_tag
def frequency_choices() -> list[tuple[str, str]]:
    """(value, label) of each subscription frequency, the default (daily) first."""
    return list(Subscriber.Frequency.choices)
