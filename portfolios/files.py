"""Evidence files checked by their content, never by their name or the browser's content type.

The checks are those of every scanned document (`staff.documents`): a PDF without scripts, actions
or attached files, or an image through the one image pipeline (decompression bombs, HEIC and MPO,
EXIF orientation and stripping), keeping a PNG a PNG and adding a thumbnail. The SHA-256 of what
was uploaded lets the same upload be recognised again.
"""

import hashlib
from dataclasses import dataclass

from staff.documents import ACCEPT_DOCUMENTS, document_check
from staff.images import upload_read

THUMBNAIL_SIDE = 480
ACCEPT = ACCEPT_DOCUMENTS


@dataclass(frozen=True)
class CheckedFile:
    content: bytes  # what is stored: the PDF as is, or the re-encoded image
    content_type: str
    extension: str
    sha256: str  # of the bytes as uploaded, so the same upload is recognised again
    original_name: str
    thumbnail: bytes | None = None


def evidence_check(uploaded) -> CheckedFile:
    """Read and check one uploaded file; the stored form of it, or ValidationError with the reason."""
    data = upload_read(uploaded)
    name = uploaded.name or "file"
    checked = document_check(data, name=name, thumbnail_side=THUMBNAIL_SIDE)
    digest = hashlib.sha256(data).hexdigest()
    return CheckedFile(
        checked.content, checked.content_type, checked.extension, digest, name, checked.thumbnail
    )
