"""manage.py bump_public_pages: every process serves the public pages afresh (after data was changed
outside the portal's code, e.g. through psql; the portal's own services do this themselves)."""

from django.core.management.base import BaseCommand

from kindergarten_portal.caching.pagecache import bump_public_pages


class Command(BaseCommand):
    help = "Serve the public pages afresh in every process (after a change made outside the portal)."

    def handle(self, *args, **options):
        bump_public_pages()
        self.stdout.write("The public pages are served afresh.")
