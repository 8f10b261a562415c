from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", apps=None, **kwargs):
    from core.roles import roles_sync

    # `flush` sends no `apps`; `migrate` sends the migrated state.
    roles_sync(apps=apps or global_apps, using=using)


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        from blog import dashboard, registry, signals
        from core.roles import AUTHOR, EDITOR, role_grant

        registry.register()
        dashboard.register()
        role_grant(EDITOR, "blog")
        role_grant(EDITOR, "taggit")
        role_grant(EDITOR, "redirects")  # old addresses; a changed slug records one itself
        role_grant(EDITOR, "flatpages")  # About, Privacy and pages brought from WordPress
        # Authors write their own articles; they read what they file them under.
        author_may = ["add_article", "change_article", "view_article", "view_articleversion"]
        role_grant(AUTHOR, "blog", [*author_may, "view_category"])
        role_grant(AUTHOR, "taggit", ["add_tag", "view_tag"])

        signals.connect()
        # Again after every migrate (and test-database flush): models added since the data
        # migration join the roles once their permissions exist.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="blog-roles")
