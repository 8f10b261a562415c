"""Editor, Author and Moderator groups (idempotent; blog.apps re-syncs after each migrate)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from core.roles import roles_sync

    roles_sync(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
