"""manage.py create_kindergarten "<name>" --slug <slug> --senior-educator <username> --email <email>:
the city administrator puts a kindergarten on the portal with its first senior educator, who is
e-mailed a link to set her password (`kindergarten_portal.kindergartens.kindergarten_create`)."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kindergarten_portal.kindergartens import kindergarten_create
from kindergarten_portal.tenancy import CityWideCommand


class Command(CityWideCommand):
    help = (
        "Put a kindergarten on the portal with its first senior educator, who is e-mailed a link to set "
        "her password."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The kindergarten's full name.")
        parser.add_argument(
            "--slug",
            default="",
            help="Its address on the portal: Latin letters, digits and hyphens; made from the name if omitted.",
        )
        parser.add_argument("--short-name", default="", help="Its short name.")
        parser.add_argument(
            "--senior-educator", default="", metavar="USERNAME", help="The senior educator's username."
        )
        parser.add_argument("--email", default="", help="The senior educator's e-mail.")

    def handle(self, *args, **options):
        try:
            made = kindergarten_create(
                name=options["name"],
                slug=options["slug"],
                short_name=options["short_name"],
                username=options["senior_educator"],
                email=options["email"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        kindergarten, user = made.kindergarten, made.senior_educator
        self.stdout.write(
            _("Kindergarten: %(name)s, address on the portal: %(slug)s.")
            % {"name": kindergarten.name, "slug": kindergarten.slug}
        )
        self.stdout.write(
            _("Senior educator: %(username)s <%(email)s>.") % {"username": user.username, "email": user.email}
        )
        self.stdout.write(_("The e-mail with a link to set her password is queued."))
