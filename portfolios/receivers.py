"""Every rule by which a lower app's record writes a portfolio entry, in one place.

Courses, retraining and higher education (staff.Training), attestation decisions
(staff.CategoryDecision) and attendance at events (events.Participation) each become an approved
entry through `entries_sync_for_source`, which is idempotent and withdraws what no longer holds; a
participation whose experience sharing is done also gives an entry in 3.2 "Sharing of experience",
submitted for the senior educator's review (it rests on the teacher's word alone).
An edited event (title, date, level, organizer, cancellation) re-syncs its participations' entries.
A deleted evidence file (with its entry, or its teacher's record) leaves storage once the deletion
has committed, thumbnail included.

The cached mini-sites forget themselves on any write (kindergarten_portal.pagecache).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from events.models import Event, Participation
from kindergarten_portal.media import files_delete_on_commit
from staff.importing import staff_imported
from staff.models import CategoryDecision, Training

from .derived import entries_sync_for_event, entries_sync_for_source, entries_sync_for_sources
from .models import EvidenceFile

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


@receiver(staff_imported, dispatch_uid="portfolios_staff_imported")
def staff_imported_sync(sender, decisions, trainings, **kwargs):
    """The staff import writes in bulk (no post_save): the entries of what it wrote, in bulk too."""
    entries_sync_for_sources(sources=[*decisions, *trainings])
