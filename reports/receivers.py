"""Every rule by which a report record's change reaches beyond its row: a deleted rating build's
workbook leaves storage once the deletion has committed."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from kindergarten_portal.files.media import files_delete_on_commit

from .models import RatingBuild


@receiver(post_delete, sender=RatingBuild, dispatch_uid="reports_build_workbook_deleted")
def build_deleted(sender, instance, **kwargs):
    files_delete_on_commit(instance, "workbook")
