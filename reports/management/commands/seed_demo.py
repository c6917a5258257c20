"""The demo kindergarten of the seed documents, every app's part; safe to run again.

It lives in `reports`, the top of the dependency chain (staff ← events ← portfolios ← reports),
so it may call each app's `demo.build()` in order.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from events import demo as events_demo
from kindergarten_portal.tenancy import KINDERGARTEN, CityWideCommand
from portfolios import demo as portfolios_demo
from reports import demo as reports_demo
from reports import network_demo
from staff import demo as staff_demo
from staff.models import Employee

User = get_user_model()


class Command(CityWideCommand):
    help = "Create the demo kindergarten: staff, events, portfolios and reports of the seed documents."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any employee exists.")
        parser.add_argument(
            "--network",
            action="store_true",
            help="Add a second kindergarten («Берёзка», metodist2, head2, vera, galina) with a year of its own.",
        )

    @transaction.atomic
    def handle(self, *args, if_empty=False, network=False, **options):
        if if_empty and Employee.objects.exists():
            self.stdout.write("The database already has staff; demo data not loaded.")
        else:
            today = timezone.localdate()
            # Our kindergarten's year is made in its own scope, as its office would see it.
            with scope(**{KINDERGARTEN: [staff_demo.kindergarten().pk]}):
                teachers = staff_demo.build(today=today)
                for builder in self.later_builders():
                    builder(today=today, teachers=teachers)
            if network:
                network_demo.build(today=today)
            self.stdout.write(self.style.SUCCESS("Demo kindergarten ready."))
        # Once, on every start of `make run` (its e-mails wait in the outbox: nothing is sent here).
        users = [(role, username) for username, _first, _last, role, _index in staff_demo.USERS]
        users += network_demo.sign_ins()
        users = [
            (role, username) for role, username in users if User.objects.filter(username=username).exists()
        ]
        if users:
            self.stdout.write(f"Demo sign-ins (password for all: {staff_demo.DEMO_PASSWORD}):")
            for role, username in users:
                self.stdout.write(f"  {role:16} {username}")

    def later_builders(self):
        """Each later app's demo part, in dependency order; an app joins by adding a line."""
        return [events_demo.build, portfolios_demo.build, reports_demo.build]
