"""python manage.py demo_totp: the security code for the demo sign-ins, as an authenticator app shows it."""

import time

from django.core.management.base import BaseCommand

from demo.mfa import DEMO_TOTP_SECRET, demo_totp_code


class Command(BaseCommand):
    help = (
        "Print the current security code of the demo authenticator key (demo data only: the key is public). "
        "Each code works once per sign-in and changes every 30 seconds."
    )

    def handle(self, *args: object, **options: object) -> None:
        now = time.time()
        seconds_left = 30 - int(now) % 30
        self.stdout.write(
            f"{demo_totp_code(at=now)}\n(the demo key {DEMO_TOTP_SECRET} now; a new code in {seconds_left} seconds)"
        )
