from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from forum import trees
from forum.models import Post


class Command(BaseCommand):
    help = "Check every discussion tree (nesting, levels, overlaps, threads) and list each fault."

    def handle(self, *args, **options):
        faults = trees.tree_faults()
        for fault in faults:
            self.stdout.write(str(fault))
        if faults:
            broken = len({fault.tree_id for fault in faults})
            raise CommandError(
                f"{len(faults)} fault{pluralize(len(faults))} in {broken} tree{pluralize(broken)}."
            )
        count = Post.objects.values("tree_id").distinct().count()
        self.stdout.write(self.style.SUCCESS(f"All {count} trees are valid."))
