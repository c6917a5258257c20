from django.core.management.base import BaseCommand

from events.services import external_personal_data_remove


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of partners registered for open events once the keeping term "
        "(EXTERNAL_PERSONAL_DATA_KEEP_DAYS after the event) has run out; the counts stay. Safe to run "
        "twice; run it daily from cron."
    )

    def handle(self, *args, **options):
        removed = external_personal_data_remove()
        self.stdout.write(f"Anonymised external participants: {removed}")
