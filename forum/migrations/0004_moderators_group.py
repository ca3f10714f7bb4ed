"""The "Moderators" group and the permissions it needs.

Django creates permissions after migrate (post_migrate), so on a fresh database they do not
exist yet when this runs: create them here, with the names Django would give them.
"""

from django.db import migrations

MODERATORS = "Moderators"
GRANTS = {
    "post": ["moderate", "view", "change"],
    "thread": ["view", "change"],
    "flag": ["view", "change"],
    "moderationrecord": ["view"],
    "ban": ["add", "change", "view"],
}
VERBOSE_NAMES = {
    "post": "post",
    "thread": "thread",
    "flag": "flag",
    "moderationrecord": "moderation record",
    "ban": "ban",
}


def permission_for(apps, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="forum", model=model)
    if action == "moderate":
        codename, name = "moderate_post", "Can moderate posts"
    else:
        codename, name = f"{action}_{model}", f"Can {action} {VERBOSE_NAMES[model]}"
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    group.permissions.add(
        *(
            permission_for(apps, model, action)
            for model, actions in GRANTS.items()
            for action in actions
        )
    )


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0003_moderation"),
    ]

    operations = [migrations.RunPython(create_moderators, remove_moderators)]
