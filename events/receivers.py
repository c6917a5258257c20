"""Every rule by which a staff record's change is carried into events, in one place.

A teacher dismissed (her dismissal date reached) gives up what she had ahead of her: sign-ups,
waiting-list places and recommendations for events not yet started are cancelled and freed places
go to the waiting list. A dismissal entered ahead of the day is released by send_notifications
once the day comes. When her dismissal date is entered she is e-mailed, once per date, the signed
link to her certificates, which she opens without signing in. A deleted event's photos leave
storage once the deletion has committed.

The public pages (open events, their calendar, results and their feed) are served afresh once an
event, its photos, organizers, series or participants are saved or deleted, from a service or the
admin (kindergarten_portal.caching.pagecache.bump_public_pages).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kindergarten_portal.caching.pagecache import bump_public_pages
from kindergarten_portal.files.media import files_delete_on_commit
from kindergarten_portal.models import Organization
from staff.importing import staff_imported
from staff.models import Employee

from .models import (
    Event,
    EventPhoto,
    ExternalParticipant,
    Participation,
    Series,
)
from .services import attendance_recorded, certificates_link_send, participations_release_for_dismissed


@receiver(post_save, sender=Employee, dispatch_uid="events_employee_saved")
def employee_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.dismissal_date is None:  # fixtures; or on the staff: nothing to release
        return
    participations_release_for_dismissed(employee=instance)
    certificates_link_send(teacher=instance)


@receiver(post_delete, sender=EventPhoto, dispatch_uid="events_photo_file_deleted")
def photo_deleted(sender, instance, **kwargs):
    files_delete_on_commit(instance, "image")


# What the public pages show: an event, its photos, organizer, series, and its places taken.
SHOWN_PUBLICLY = (Event, EventPhoto, Organization, Series, Participation, ExternalParticipant)


def public_data_changed(sender, raw=False, **kwargs):
    if not raw:
        bump_public_pages()


for model in SHOWN_PUBLICLY:
    post_save.connect(public_data_changed, sender=model, dispatch_uid=f"events_public_{model.__name__}_saved")
    post_delete.connect(
        public_data_changed, sender=model, dispatch_uid=f"events_public_{model.__name__}_deleted"
    )


@receiver(attendance_recorded, dispatch_uid="events_attendance_recorded")
def attendance_recorded_public(sender, **kwargs):
    """An event's attendance marked in bulk (no post_save): its places taken may have changed."""
    bump_public_pages()


@receiver(staff_imported, dispatch_uid="events_staff_imported")
def staff_imported_release(sender, employees, **kwargs):
    """The staff import writes in bulk (no post_save): the same release and link for those it wrote."""
    for employee in employees:
        if employee.dismissal_date is not None:
            participations_release_for_dismissed(employee=employee)
            certificates_link_send(teacher=employee)
