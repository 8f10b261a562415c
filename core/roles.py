"""The editorial roles: Editor, Author and Moderator, as groups of permissions.

Each app grants its own permissions to the roles in its `AppConfig.ready()` (`role_grant`),
so an app that is not installed grants nothing and the ground floor names no app.
`roles_sync` is idempotent and only adds: it runs from blog's data migration and again
after every `migrate` (blog.apps), so models added later join the roles once their
permissions exist. Remove a permission from a role where the app grants it, not in the admin.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

EDITOR = "Editor"
AUTHOR = "Author"
MODERATOR = "Moderator"

ROLES = (EDITOR, AUTHOR, MODERATOR)

# role -> {(app label, codename)}; a codename of None grants every permission of the app.
_grants: dict[str, set[tuple[str, str | None]]] = {role: set() for role in ROLES}


def role_grant(role: str, app_label: str, codenames: list[str] | None = None) -> None:
    """Give `role` the permissions `codenames` of `app_label` (all of them when None)."""
    for codename in codenames or [None]:
        _grants[role].add((app_label, codename))


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

    for role in ROLES:
        permissions = Permission.objects.using(using).none()
        for app_label, codename in _grants[role]:
            if app_label not in installed:
                continue
            lookup = {"content_type__app_label": app_label}
            if codename is not None:
                lookup["codename"] = codename
            permissions |= Permission.objects.using(using).filter(**lookup)
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.add(*permissions)
