"""Thread.opening_post, and the opening posts of the discussions started in the forum so far.

A discussion started in the forum is one without an article, not imported (no external id) and
not made by a moderator's split (the audit log names those); its opening post is its first.
"""

import django.db.models.deletion
from django.db import migrations, models


def find_opening_posts(apps, schema_editor):
    Thread = apps.get_model("forum", "Thread")
    Post = apps.get_model("forum", "Post")
    ModerationRecord = apps.get_model("forum", "ModerationRecord")
    splits = ModerationRecord.objects.filter(action="split").values_list("details", flat=True)
    split_off = {details.get("new_thread") for details in splits}
    started = Thread.objects.filter(article__isnull=True, external_id__isnull=True)
    for thread in started.exclude(pk__in=split_off - {None}).iterator():
        first = Post.objects.filter(thread=thread).order_by("created_at", "pk").first()
        if first is not None:
            Thread.objects.filter(pk=thread.pk).update(opening_post=first)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0014_one_word_for_posts"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="opening_post",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="forum.post",
            ),
        ),
        migrations.RunPython(find_opening_posts, migrations.RunPython.noop),
    ]
