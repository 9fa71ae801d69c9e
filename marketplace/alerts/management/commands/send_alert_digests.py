from django.core.management.base import BaseCommand

from marketplace.alerts.services import send_digests


class Command(BaseCommand):
    help = "E-mail each person's daily or weekly digest of match alerts not mailed yet (once per period)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{send_digests()} digest e-mail(s) sent")
