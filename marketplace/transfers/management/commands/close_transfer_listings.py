from django.core.management.base import BaseCommand

from marketplace.transfers.closing import run_due


class Command(BaseCommand):
    help = "关闭到期的挂牌交易，结算保证金，发布成交公示，公示期满后生成商机与协议。"

    def handle(self, *args, **options) -> None:
        done = run_due()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in done.items()))
