from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from forum import events, trees
from forum.models import Post, Thread


def content_counts():
    return ", ".join(
        f"{name}: {model.objects.count()}"
        for name, model in (("articles", Article), ("threads", Thread), ("posts", Post))
    )


class Command(BaseCommand):
    help = "Load fixtures/seed.json, but only into a database without articles, threads or posts."

    def handle(self, *args, **options):
        with transaction.atomic():
            if Article.objects.exists() or Thread.objects.exists() or Post.objects.exists():
                # The fixture's rows carry fixed keys and tree fields: over live data they would
                # overwrite posts and break the trees that have new replies.
                self.stdout.write(
                    f"Skipped loading the seed: the database already has content "
                    f"({content_counts()}), and loading the seed over it could corrupt its "
                    "discussion trees."
                )
                return
            call_command("loaddata", "seed", verbosity=0)
            if faults := trees.tree_faults():
                raise CommandError(f"The seed's trees are not valid, nothing loaded: {faults[0]}")
            # loaddata saves rows as they are, announcing nothing: the search index must hear.
            events.announce(
                events.Write.POSTS_LOADED,
                threads=Thread.objects.values_list("pk", flat=True),
                trees=set(Post.objects.values_list("tree_id", flat=True)),
                articles=Article.objects.values_list("pk", flat=True),
            )
            loaded = content_counts()
        self.stdout.write(self.style.SUCCESS(f"Loaded the seed ({loaded})."))
