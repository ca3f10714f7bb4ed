"""Load the benchmark's discussion into xtd through its own models: `python -m xtd_site.load
RECORDS STORY_SLUG MAPPING` writes which comment id each record became to MAPPING.
"""

import json
import sys
from datetime import datetime

import django


def main(records_path, slug, mapping_path):
    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction
    from django_comments_xtd.models import XtdComment

    from .models import Story

    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    with open(records_path) as source:
        records = sorted(json.load(source), key=lambda record: record["number"])
    story = Story.objects.create(title=f"Story {slug}", slug=slug)
    common = {
        "content_type": ContentType.objects.get_for_model(Story),
        "object_pk": str(story.pk),
        "site_id": 1,
    }
    comment_ids = {}
    with transaction.atomic():
        # Every comment arrives published, replies after their parent, as readers wrote them;
        # xtd's save() numbers the threads and their order.
        for record in records:
            comment = XtdComment.objects.create(
                **common,
                parent_id=comment_ids.get(record["parent"], 0),
                user_name=record["name"],
                user_email=record["email"],
                comment=record["text"],
                submit_date=datetime.fromisoformat(record["created_at"]),
            )
            comment_ids[record["number"]] = comment.pk
        # Then moderated as xtd does it: saving a removed or unpublished comment hides its replies.
        for record in records:
            if record["status"] in ("deleted", "spam"):
                comment = XtdComment.objects.get(pk=comment_ids[record["number"]])
                comment.is_removed = record["status"] == "deleted"
                comment.is_public = record["status"] != "spam"
                comment.save()
    with open(mapping_path, "w") as out:
        json.dump({pk: number for number, pk in comment_ids.items()}, out)


if __name__ == "__main__":
    main(*sys.argv[1:])
