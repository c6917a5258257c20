"""Evidence files checked by their content, never by their name or the browser's content type.

PDFs are recognised by their signature and end-of-file marker; anything else must be an image and
goes through the one image pipeline (`staff.images`: decompression bombs, HEIC and MPO, EXIF
orientation and stripping), keeping a PNG a PNG and adding a thumbnail. The SHA-256 of what was
uploaded lets the same upload be recognised again.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from staff.images import ACCEPT_IMAGES, image_check, upload_read

THUMBNAIL_SIDE = 480
ACCEPT = f"{ACCEPT_IMAGES},application/pdf,.pdf"


@dataclass(frozen=True)
class CheckedFile:
    content: bytes  # what is stored: the PDF as is, or the re-encoded image
    content_type: str
    extension: str
    sha256: str  # of the bytes as uploaded, so the same upload is recognised again
    original_name: str
    thumbnail: bytes | None = None


def _check_pdf(data: bytes, name: str, digest: str) -> CheckedFile:
    # A PDF ends with %%EOF (possibly followed by a newline); a cut-off upload does not.
    if b"%%EOF" not in data[-1024:]:
        raise ValidationError(
            _("The PDF «%(name)s» is incomplete or damaged.") % {"name": name}, code="damaged"
        )
    return CheckedFile(data, "application/pdf", "pdf", digest, name)


def _check_image(data: bytes, name: str, digest: str) -> CheckedFile:
    try:
        image = image_check(data, name=name, thumbnail_side=THUMBNAIL_SIDE)
    except ValidationError as exc:
        if exc.code != "unreadable":
            raise
        # Here a PDF would have done too, so the message says so.
        raise ValidationError(
            _("«%(name)s» is not a JPEG, PNG or PDF file we can read.") % {"name": name}, code="unreadable"
        ) from exc
    return CheckedFile(image.content, image.content_type, image.extension, digest, name, image.thumbnail)


def evidence_check(uploaded) -> CheckedFile:
    """Read and check one uploaded file; the stored form of it, or ValidationError with the reason."""
    data = upload_read(uploaded)
    digest = hashlib.sha256(data).hexdigest()
    name = uploaded.name or "file"
    if data.startswith(b"%PDF-"):
        return _check_pdf(data, name, digest)
    return _check_image(data, name, digest)
