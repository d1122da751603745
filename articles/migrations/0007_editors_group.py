"""The "Éditeurs" group: what a journalist checking the machine's work may do in the admin, and nothing more.

Editors add, change, delete and view the editorial data (articles, companies, chips, figures, purchase
events, exchange rates). Publications can be added and corrected but not deleted (deleting one would
silently detach its articles). Sentences and mentions are rebuilt from the text by the machine, so editors
only read them. No permission on users, groups, sessions, login attempts or the search outbox: accounts
are made with `manage.py create_editor` by whoever runs the server.

Permissions are normally created after all migrations (post_migrate), so they are created here first.
Re-running keeps the group in step with this list (permissions not listed are removed from it).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Éditeurs"
FULL = ("add", "change", "delete", "view")
PERMISSIONS = {
    "article": FULL,
    "company": FULL,
    "chip": FULL,
    "figure": FULL,
    "purchaseevent": FULL,
    "exchangerate": FULL,
    "publication": ("add", "change", "view"),
    "sentence": ("view",),
    "mention": ("view",),
}


def create_editors_group(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    # The migration state's app config has no models module, which create_permissions takes as "no models".
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    permissions = list(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
    missing = set(codenames) - {permission.codename for permission in permissions}
    if missing:
        raise RuntimeError(f"Permissions not found for the editors' group: {sorted(missing)}")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
