"""Stored files (MEDIA_ROOT): sent after an access check, and deleted with the rows that hold them.

Nothing under MEDIA_ROOT is ever served by a public URL. A view checks access first, then
`file_response` sends the file with headers that keep a browser from running it or a shared
computer's cache from keeping it. Each app deletes a row's files once the deletion has committed
(`files_delete_on_commit`, from a post_delete receiver in the app's receivers.py); a file still named
by another row is kept. `cleanup_media` lists (and removes) what no row names any more.
"""

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

# Cache-Control of a personal file, and of one whose copy must not stay on a shared computer
# (pupils' scans name children; certificates carry personal data).
PRIVATE = "private, max-age=0"
NO_STORE = "private, no-store"


def file_response(field, *, content_type, filename=None, cache=PRIVATE):
    """The stored file of `field` (a FieldFile), inline, for a view that has checked access.

    With PORTFOLIO_X_ACCEL_REDIRECT_PREFIX set, nginx sends the file; else Django does (404 when the
    file is missing). Served with `Content-Security-Policy: sandbox` (no script of a crafted file
    runs with the portal's origin) and `X-Content-Type-Options: nosniff`.
    """
    prefix = settings.PORTFOLIO_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{field.name}"
    else:
        try:
            handle = field.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type)
    if filename:
        response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response


def file_fields():
    """(model, field name) of every file field of every installed model."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and field.concrete
    ]


def file_is_referenced(name: str) -> bool:
    """Whether any row of any model, of any kindergarten, still names the stored file `name` (an entry
    a teacher carried to her new kindergarten names its original's files)."""
    return any(model._base_manager.filter(**{field: name}).exists() for model, field in file_fields())


def referenced_names() -> set[str]:
    """The names of every stored file some row names."""
    names = set()
    for model, field in file_fields():
        names.update(model._base_manager.exclude(**{field: ""}).values_list(field, flat=True))
    names.discard(None)
    return names


def _delete_unreferenced(storage, names):
    for name in names:
        if not file_is_referenced(name):
            storage.delete(name)


def files_delete_on_commit(instance, *field_names):
    """Delete the files of a deleted row once the deletion commits (never if it is rolled back),
    keeping any that another row still names. Call from a post_delete receiver."""
    for field_name in field_names:
        fieldfile = getattr(instance, field_name)
        if fieldfile and fieldfile.name:
            storage, name = fieldfile.storage, fieldfile.name
            transaction.on_commit(lambda storage=storage, name=name: _delete_unreferenced(storage, [name]))
