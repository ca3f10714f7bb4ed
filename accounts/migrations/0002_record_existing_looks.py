from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import migrations

from accounts.models import username_looks


def record_existing_looks(apps, schema_editor):
    """Store how every existing account's name looks; of two that look alike, the older wins."""
    users = apps.get_model(settings.AUTH_USER_MODEL).objects.order_by("pk")
    looks = apps.get_model("accounts", "UsernameLook")
    seen, rows = set(), []
    for pk, username in users.values_list("pk", get_user_model().USERNAME_FIELD).iterator():
        user_looks = username_looks(username)
        # A later look-alike keeps its name, outside the unique constraint.
        rows.extend(looks(user_id=pk, digest=d, predates_check=d in seen) for d in user_looks)
        seen |= user_looks
    looks.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(record_existing_looks, migrations.RunPython.noop)]
