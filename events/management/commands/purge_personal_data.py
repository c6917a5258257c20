from events.services import external_personal_data_remove
from kindergarten_portal.tenancy import CityWideCommand


class Command(CityWideCommand):
    help = (
        "Anonymise the personal data of partners registered for open events once the keeping term "
        "(EXTERNAL_PERSONAL_DATA_KEEP_DAYS after the event) has run out; the counts stay. Safe to run "
        "twice; run it daily from cron."
    )

    def handle(self, *args, **options):
        removed = external_personal_data_remove()
        self.stdout.write(f"Anonymised external participants: {removed}")
