"""The editorial roles: Editor, Author and Moderator, as groups of permissions.

`roles_sync` is idempotent and only adds: it runs from the data migration and again after
every `migrate` (blog.apps), so models added later (a new comments or subscriptions model)
join the roles once their permissions exist. Remove a permission from a role by editing
ROLES here, not in the admin.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

EDITOR = "Editor"
AUTHOR = "Author"
MODERATOR = "Moderator"

# Every permission of these apps (when installed).
EDITOR_APPS = ["blog", "inspections", "taggit", "comments", "subscriptions"]
MODERATOR_APPS = ["comments"]
# Authors write their own articles; they read what they file them under.
AUTHOR_PERMISSIONS = [
    ("blog", "add_article"),
    ("blog", "change_article"),
    ("blog", "view_article"),
    ("blog", "view_articleversion"),
    ("blog", "view_category"),
    ("taggit", "add_tag"),
    ("taggit", "view_tag"),
    ("inspections", "view_inspection"),
]


def roles_sync(*, apps=global_apps, using: str = "default") -> None:
    """Create the three role groups and give them their permissions (missing ones only)."""
    # Permissions are normally created after all migrations (post_migrate); create them now
    # so that a fresh database gets complete roles from the migration itself.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # migration state has none
        try:
            create_permissions(app_config, verbosity=0, apps=apps, using=using)
        finally:
            app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    installed = {config.label for config in apps.get_app_configs()}

    def by_apps(labels):
        return Permission.objects.using(using).filter(
            content_type__app_label__in=[label for label in labels if label in installed]
        )

    author_permissions = Permission.objects.using(using).none()
    for app_label, codename in AUTHOR_PERMISSIONS:
        if app_label in installed:
            author_permissions |= Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename=codename
            )

    for name, permissions in [
        (EDITOR, by_apps(EDITOR_APPS)),
        (AUTHOR, author_permissions),
        (MODERATOR, by_apps(MODERATOR_APPS)),
    ]:
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*permissions)
