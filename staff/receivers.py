"""Every rule by which a staff record's change reaches beyond its row, in one place.

A deleted staff record's photo and a deleted course's certificate scan leave storage once the
deletion has committed (kept if another row still names the file).
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from kindergarten_portal.files.media import files_delete_on_commit

from .models import Employee, Training


@receiver(post_delete, sender=Employee, dispatch_uid="staff_employee_files_deleted")
def employee_deleted(sender, instance, **kwargs):
    files_delete_on_commit(instance, "photo")


@receiver(post_delete, sender=Training, dispatch_uid="staff_training_files_deleted")
def training_deleted(sender, instance, **kwargs):
    files_delete_on_commit(instance, "scan")
