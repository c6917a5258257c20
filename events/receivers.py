"""Every rule by which a staff record's change is carried into events, in one place.

A teacher dismissed (her dismissal date reached) gives up what she had ahead of her: sign-ups,
waiting-list places and recommendations for events not yet started are cancelled and freed places
go to the waiting list. A dismissal entered ahead of the day is released by send_notifications
once the day comes. A deleted event's photos leave storage once the deletion has committed.

The public pages and feeds of events (open events, results, their calendar and feed) are cached
until one of the records they show changes: any such change forgets them.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from kindergarten_portal.media import files_delete_on_commit
from kindergarten_portal.pagecache import public_pages_changed
from staff.models import Employee

from .models import Event, EventPhoto, ExternalParticipant, Organization, Participation
from .services import participations_release_for_dismissed

# What the public pages of events show: the events, their organizers and photos, the places taken
# (teachers and colleagues), and the names of the teachers who took part.
PUBLIC_SOURCES = (Event, EventPhoto, ExternalParticipant, Organization, Participation, Employee)


@receiver(post_save, sender=Employee, dispatch_uid="events_employee_saved")
def employee_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.dismissal_date is None:  # fixtures; or on the staff: nothing to release
        return
    participations_release_for_dismissed(employee=instance)


@receiver(post_delete, sender=EventPhoto, dispatch_uid="events_photo_file_deleted")
def photo_deleted(sender, instance, **kwargs):
    files_delete_on_commit(instance, "image")


def _public_data_changed(sender, **kwargs):
    public_pages_changed()


for _model in PUBLIC_SOURCES:
    post_save.connect(
        _public_data_changed, sender=_model, dispatch_uid=f"events_public_{_model.__name__}_saved"
    )
    post_delete.connect(
        _public_data_changed, sender=_model, dispatch_uid=f"events_public_{_model.__name__}_deleted"
    )
m2m_changed.connect(
    _public_data_changed, sender=Event.co_organizers.through, dispatch_uid="events_public_co_organizers"
)
