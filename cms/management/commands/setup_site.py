from django.core.management.base import BaseCommand

from cms.site_setup import ensure_site_structure


class Command(BaseCommand):
    help = "Create the home page and section index pages if they are missing (idempotent)."

    def handle(self, *args, **options):
        home = ensure_site_structure()
        self.stdout.write(self.style.SUCCESS(f"site ready: {home.title}"))
