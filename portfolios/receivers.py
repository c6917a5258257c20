"""Every rule by which a lower app's record writes a portfolio entry, in one place.

Courses, retraining and higher education (staff.Training), attestation decisions
(staff.CategoryDecision) and attendance at events (events.Participation) each become an approved
entry through `entries_sync_for_source`, which is idempotent and withdraws what no longer holds; a
participation whose experience sharing is done also gives an entry in 3.2 "Sharing of experience",
submitted for the senior educator's review (it rests on the teacher's word alone).
An edited event (title, date, level, organizer, cancellation) re-syncs its participations' entries.
A deleted evidence file (with its entry, or its teacher's record) leaves storage once the deletion
has committed, thumbnail included.

The mini-sites are served afresh once a mini-site, an entry or a staff record (a name, a photo, a
dismissal) is saved or deleted, from a service or the admin
(kindergarten_portal.caching.pagecache.bump_public_pages).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from events.models import Event, Participation
from events.services import attendance_recorded
from kindergarten_portal.caching.pagecache import bump_public_pages
from kindergarten_portal.files.media import files_delete_on_commit
from staff.importing import staff_imported
from staff.models import CategoryDecision, Employee, Training

from .derived import entries_sync_for_event, entries_sync_for_source, entries_sync_for_sources
from .models import EvidenceFile, MiniSite, PortfolioEntry

SOURCES = (Training, CategoryDecision, Participation)


@receiver(post_save, sender=Training, dispatch_uid="portfolios_training_saved")
@receiver(post_save, sender=CategoryDecision, dispatch_uid="portfolios_decision_saved")
@receiver(post_save, sender=Participation, dispatch_uid="portfolios_participation_saved")
def source_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures: the entries come with them
        return
    entries_sync_for_source(source=instance)


@receiver(post_delete, sender=Training, dispatch_uid="portfolios_training_deleted")
@receiver(post_delete, sender=CategoryDecision, dispatch_uid="portfolios_decision_deleted")
@receiver(post_delete, sender=Participation, dispatch_uid="portfolios_participation_deleted")
def source_deleted(sender, instance, **kwargs):
    entries_sync_for_source(source=instance, deleted=True)


@receiver(post_save, sender=Event, dispatch_uid="portfolios_event_saved")
def event_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:  # a new event has no participations yet
        return
    entries_sync_for_event(event=instance)


@receiver(post_delete, sender=EvidenceFile, dispatch_uid="portfolios_evidence_file_deleted")
def evidence_deleted(sender, instance, **kwargs):
    files_delete_on_commit(instance, "file", "thumbnail")


# What the mini-sites show: the site, the teacher's record (a dismissal takes it down), her entries.
SHOWN_PUBLICLY = (MiniSite, Employee, PortfolioEntry)


def public_data_changed(sender, raw=False, **kwargs):
    if not raw:
        bump_public_pages()


for model in SHOWN_PUBLICLY:
    post_save.connect(
        public_data_changed, sender=model, dispatch_uid=f"portfolios_public_{model.__name__}_saved"
    )
    post_delete.connect(
        public_data_changed, sender=model, dispatch_uid=f"portfolios_public_{model.__name__}_deleted"
    )


@receiver(attendance_recorded, dispatch_uid="portfolios_attendance_recorded")
def attendance_recorded_sync(sender, participations, **kwargs):
    """An event's attendance marked in bulk (no post_save): the entries of those it changed, in bulk too."""
    entries_sync_for_sources(sources=participations)
    bump_public_pages()  # a mini-site may show the entries


@receiver(staff_imported, dispatch_uid="portfolios_staff_imported")
def staff_imported_sync(sender, decisions, trainings, **kwargs):
    """The staff import writes in bulk (no post_save): the entries of what it wrote, in bulk too."""
    entries_sync_for_sources(sources=[*decisions, *trainings])
    bump_public_pages()  # a dismissal imported takes her mini-site down, as a saved record does
