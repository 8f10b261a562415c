from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self):
        from core.personal_data import register_personal_data
        from core.roles import EDITOR, role_grant
        from core.slots import register_slot
        from subscriptions import dashboard, signals
        from subscriptions.registry import PERSONAL_DATA

        role_grant(EDITOR, "subscriptions")

        signals.connect()
        register_slot("sidebar", "subscribe-box", subscribe_box, order=10)
        register_slot("follow", "follow-box", follow_box)
        register_personal_data(PERSONAL_DATA)
        dashboard.register()


def subscribe_box(context, obj=None, **options) -> str:
    """The sidebar's subscribe form."""
    from django.template.loader import render_to_string

    return render_to_string("subscriptions/_subscribe_box.html")


def follow_box(context, obj=None, *, inspectorate: str = "", **options) -> str:
    """A form to follow the page's organisation, inspectorate, tag or author by email.

    Content pages say `{% slot "follow" organisation %}` (or `inspectorate=<slug>` where the
    page names an inspectorate by its slug); anything else gets no box."""
    from django.template.loader import render_to_string

    from subscriptions.follows import followable

    found = followable(obj, inspectorate_slug=inspectorate)
    if found is None:
        return ""
    kind, pk, name = found
    return render_to_string(
        "subscriptions/_follow_box.html", {"kind": kind, "pk": pk, "name": name}
    )
