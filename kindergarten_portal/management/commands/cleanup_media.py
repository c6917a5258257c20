import datetime

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import ngettext

from kindergarten_portal.files.media import referenced_names
from kindergarten_portal.tenancy import CityWideCommand


def _stored_names(storage, folder=""):
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from _stored_names(storage, f"{folder}/{directory}" if folder else directory)


def orphaned_files(*, storage=default_storage, older_than=None):
    """(name, size) of every stored file no row names, oldest first; with `older_than` (a
    timedelta), only those not touched for that long, so an upload whose row is still being
    saved is never taken for an orphan."""
    referenced = referenced_names()
    cutoff = timezone.now() - older_than if older_than else None
    found = []
    for name in _stored_names(storage):
        if name in referenced:
            continue
        modified = storage.get_modified_time(name)
        if cutoff and modified > cutoff:
            continue
        found.append((modified, name, storage.size(name)))
    return [(name, size) for _modified, name, size in sorted(found)]


class Command(CityWideCommand):
    help = (
        "List the files under MEDIA_ROOT that no row names any more (left by deleted or replaced "
        "records); with --delete, remove them. A dry run by default."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the orphaned files.")
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Leave files changed more recently than this (uploads in progress); default 60.",
        )

    def handle(self, *args, delete=False, min_age_minutes=60, **options):
        orphans = orphaned_files(older_than=datetime.timedelta(minutes=min_age_minutes))
        for name, size in orphans:
            self.stdout.write(f"{name}\t{size}")
            if delete:
                default_storage.delete(name)
        total_mb = sum(size for _name, size in orphans) / (1024 * 1024)
        if delete:
            message = ngettext(
                "Deleted %(count)d orphaned file (%(mb).1f MB).",
                "Deleted %(count)d orphaned files (%(mb).1f MB).",
                len(orphans),
            )
        else:
            message = ngettext(
                "%(count)d orphaned file (%(mb).1f MB). Nothing deleted: run with --delete to remove it.",
                "%(count)d orphaned files (%(mb).1f MB). Nothing deleted: run with --delete to remove them.",
                len(orphans),
            )
        self.stdout.write(message % {"count": len(orphans), "mb": total_mb})
