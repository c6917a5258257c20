"""The demo kindergarten of the seed documents, every app's part; safe to run again.

It lives in `reports`, the top of the dependency chain (staff ← events ← portfolios ← reports),
so it may call each app's `demo.build()` in order.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from events import demo as events_demo
from kindergarten_portal.tenancy import CityWideCommand
from portfolios import demo as portfolios_demo
from reports import demo as reports_demo
from staff import demo as staff_demo
from staff.models import Employee

User = get_user_model()


class Command(CityWideCommand):
    help = "Create the demo kindergarten: staff, events, portfolios and reports of the seed documents."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any employee exists.")

    @transaction.atomic
    def handle(self, *args, if_empty=False, **options):
        if if_empty and Employee.objects.exists():
            self.stdout.write("The database already has staff; demo data not loaded.")
        else:
            today = timezone.localdate()
            teachers = staff_demo.build(today=today)
            for builder in self.later_builders():
                builder(today=today, teachers=teachers)
            self.stdout.write(self.style.SUCCESS("Demo kindergarten ready."))
        # Once, on every start of `make run` (its e-mails wait in the outbox: nothing is sent here).
        users = [row for row in staff_demo.USERS if User.objects.filter(username=row[0]).exists()]
        if users:
            self.stdout.write(f"Demo sign-ins (password for all: {staff_demo.DEMO_PASSWORD}):")
            for username, _first, _last, role, _index in users:
                self.stdout.write(f"  {role:16} {username}")

    def later_builders(self):
        """Each later app's demo part, in dependency order; an app joins by adding a line."""
        return [events_demo.build, portfolios_demo.build, reports_demo.build]
