from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forum.archives.fixture import build_fixture
from forum.archives.seed import SEED_DIR, SOURCE, SeedFormatError, read_seed

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed.json"


class Command(BaseCommand):
    help = "Parse the seed page through the import loader and write fixtures/seed.json."

    def add_arguments(self, parser):
        parser.add_argument("--seed-dir", type=Path, default=SEED_DIR)
        parser.add_argument("--output", type=Path, default=SEED_FIXTURE)

    def handle(self, *args, seed_dir, output, **options):
        try:
            fixture = build_fixture(read_seed(seed_dir), source=SOURCE)
        except (SeedFormatError, ValueError) as error:
            raise CommandError(f"The seed could not be built: {error}") from error
        output.write_text(fixture, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
