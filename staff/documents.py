"""Scanned documents — evidence files, course certificates — checked by their content.

A PDF must be one pypdf can read through, with at least one page, and it must carry nothing that
acts when it is opened: JavaScript, launch or import actions, form submission, embedded files, XFA
forms. Anything behind a `%PDF-` header that is not such a PDF (an HTML page, a cut-off upload) is
refused. Anything else must be a picture and goes through the image pipeline (`staff.images`).
"""

import io
import logging
import uuid
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .images import ACCEPT_IMAGES, image_check, upload_read

logger = logging.getLogger(__name__)

ACCEPT_DOCUMENTS = f"{ACCEPT_IMAGES},application/pdf,.pdf"

# Keys that hold, or point to, something run or opened by the viewer rather than shown.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia"}
# Action types (/S) that run code, start programs, send data away or open embedded documents.
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/GoToE",
    "/RichMediaExecute",
    "/Rendition",
    "/Sound",
    "/Movie",
}
# A scan has a few objects per page; a PDF with more than this is not a scan.
MAX_PDF_OBJECTS = 200_000
TOO_MANY_OBJECTS = "too many objects"


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes  # what is stored: the PDF as is, or the re-encoded image
    content_type: str
    extension: str
    thumbnail: bytes | None = None


def _damaged(name):
    return ValidationError(_("The PDF «%(name)s» is incomplete or damaged.") % {"name": name}, code="damaged")


def _encrypted(name):
    return ValidationError(
        _("The PDF «%(name)s» is protected by a password. Save it without protection and upload it again.")
        % {"name": name},
        code="encrypted",
    )


def _active_content(root) -> str | None:
    """The first key or action type that would act when the document is opened, or None.

    Walks every object reachable from the trailer (pages, annotations, outlines, form fields, name
    trees), each once; only dictionary keys and names are read, never stream data."""
    seen = set()
    stack = [root]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return TOO_MANY_OBJECTS
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in ACTIVE_KEYS:
                    return key
                if key == "/S" and value in ACTIVE_ACTIONS:
                    return str(value)
                if key == "/Parent":
                    continue  # walked from the top already; saves climbing the page tree again
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def pdf_check(data: bytes, *, name: str) -> None:
    """Refuse a PDF that is damaged, not really a PDF, locked by a password, or carries active content.

    Raises ValidationError with code "damaged", "encrypted" or "active_content".
    """
    # A PDF ends with %%EOF (possibly followed by a newline); a cut-off upload does not.
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise _damaged(name)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _encrypted(name)
        if len(reader.pages) < 1:
            raise _damaged(name)
        found = _active_content(reader.trailer)
        if found == TOO_MANY_OBJECTS:
            raise _damaged(name)
    except ValidationError:
        raise
    except DependencyError as exc:  # AES encryption, which pypdf reads only with `cryptography`
        raise _encrypted(name) from exc
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError, OSError) as exc:
        raise _damaged(name) from exc
    if found:
        logger.info("PDF %r refused: it carries %s", name, found)
        raise ValidationError(
            _(
                "The PDF «%(name)s» contains scripts, actions or attached files. Print it to a new PDF "
                "(or scan the paper) and upload that."
            )
            % {"name": name},
            code="active_content",
        )


def document_check(data: bytes, *, name: str, thumbnail_side: int | None = None) -> CheckedDocument:
    """A scan as it will be stored: a checked PDF as is, or an image re-encoded by the image pipeline
    (a PNG stays a PNG), with a JPEG thumbnail of an image if `thumbnail_side` is given.

    Raises ValidationError with the reason in the user's language.
    """
    if data.startswith(b"%PDF-"):
        pdf_check(data, name=name)
        return CheckedDocument(data, "application/pdf", "pdf")
    try:
        image = image_check(data, name=name, thumbnail_side=thumbnail_side)
    except ValidationError as exc:
        if exc.code != "unreadable":
            raise
        # Here a PDF would have done too, so the message says so.
        raise ValidationError(
            _("«%(name)s» is not a JPEG, PNG or PDF file we can read.") % {"name": name}, code="unreadable"
        ) from exc
    return CheckedDocument(image.content, image.content_type, image.extension, image.thumbnail)


class _ScanLink:
    """What the scan input shows as "currently": a link to the access-checked view, not to MEDIA_URL
    (never served)."""

    def __init__(self, fieldfile):
        self.fieldfile = fieldfile
        self.url = reverse("staff:training_scan", args=[fieldfile.instance.pk])

    def __str__(self):
        return _("certificate scan")


class ScanInput(forms.ClearableFileInput):
    def format_value(self, value):
        if self.is_initial(value) and getattr(getattr(value, "instance", None), "pk", None):
            return _ScanLink(value)
        return super().format_value(value)

    def is_initial(self, value):
        # A stored file has a name; asking a FieldFile for its url would build a MEDIA_URL link.
        return bool(value and getattr(value, "name", None) and hasattr(value, "instance"))


class ScanField(forms.FileField):
    """The form field of a certificate scan (`Meta.field_classes = {"scan": ScanField}`): a new
    upload is checked like an evidence file and cleaned into a ContentFile under a random name."""

    default_help_text = gettext_lazy("A scan or photo: PDF, JPEG or PNG.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        # Also in the admin, whose own file widget would link the scan's MEDIA_URL.
        kwargs["widget"] = ScanInput(attrs={"accept": ACCEPT_DOCUMENTS})
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        uploaded = super().to_python(data)
        if not uploaded:
            return uploaded
        checked = document_check(upload_read(uploaded), name=uploaded.name or "scan")
        return ContentFile(checked.content, name=f"{uuid.uuid4().hex}.{checked.extension}")
