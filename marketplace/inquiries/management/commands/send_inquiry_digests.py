from django.core.management.base import BaseCommand

from marketplace.inquiries.services.digests import send_message_digests


class Command(BaseCommand):
    help = "E-mail each conversation participant once about messages they have neither read nor been told of."

    def handle(self, *args, **options) -> None:
        sent = send_message_digests()
        self.stdout.write(f"{sent} digest e-mail(s) sent")
