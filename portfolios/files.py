"""Evidence files checked by their content, never by their name or the browser's content type.

JPEG and PNG are opened and verified by Pillow (decompression bombs refused before any pixel is
decoded), re-encoded with the EXIF orientation applied (which also drops EXIF such as GPS), and
given a thumbnail; a phone's multi-picture JPEG (MPO) and an iPhone's HEIC photo are stored as a
plain JPEG (HEIC through pillow-heif, since browsers cannot show HEIC); PDFs are recognised by their
signature and end-of-file marker.
"""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# A 50-megapixel phone photo passes; a 20 000 × 20 000 "image" does not.
DEFAULT_MAX_IMAGE_PIXELS = 60_000_000
THUMBNAIL_SIDE = 480
ACCEPT = "image/jpeg,image/png,image/heic,image/heif,application/pdf,.jpg,.jpeg,.png,.heic,.heif,.pdf"

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
# Formats stored as another one: many phones save photos as MPO, a JPEG with extra frames appended;
# iPhones save HEIC, which browsers cannot show.
STORED_AS = {"MPO": "JPEG", "HEIF": "JPEG"}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes  # what is stored: the PDF as is, or the re-encoded image
    content_type: str
    extension: str
    sha256: str  # of the bytes as uploaded, so the same upload is recognised again
    original_name: str
    thumbnail: bytes | None = None


def max_image_pixels() -> int:
    return getattr(settings, "PORTFOLIO_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)


def _read(uploaded) -> bytes:
    limit_mb = settings.UPLOAD_MAX_MB
    if uploaded.size == 0:
        raise ValidationError(_("The file «%(name)s» is empty.") % {"name": uploaded.name}, code="empty")
    if uploaded.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file «%(name)s» is larger than %(limit)d MB.")
            % {"name": uploaded.name, "limit": limit_mb},
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if not data:
        raise ValidationError(_("The file «%(name)s» is empty.") % {"name": uploaded.name}, code="empty")
    return data


def _check_pdf(data: bytes, name: str, digest: str) -> CheckedFile:
    # A PDF ends with %%EOF (possibly followed by a newline); a cut-off upload does not.
    if b"%%EOF" not in data[-1024:]:
        raise ValidationError(
            _("The PDF «%(name)s» is incomplete or damaged.") % {"name": name}, code="damaged"
        )
    return CheckedFile(data, "application/pdf", "pdf", digest, name)


def _check_image(data: bytes, name: str, digest: str) -> CheckedFile:
    not_readable = ValidationError(
        _("«%(name)s» is not a JPEG, PNG or PDF file we can read.") % {"name": name}, code="unreadable"
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            # Only the header has been read: refuse a bomb before decoding a single pixel.
            width, height = probe.size
            if width * height > max_image_pixels():
                raise ValidationError(
                    _("The image «%(name)s» is too large (%(width)d × %(height)d pixels).")
                    % {"name": name, "width": width, "height": height},
                    code="too_many_pixels",
                )
            image_format = STORED_AS.get(probe.format, probe.format)
            if image_format not in IMAGE_FORMATS:
                raise not_readable
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # a truncated JPEG fails here; an MPO loads its first frame
            image = ImageOps.exif_transpose(image)
            content_type, extension = IMAGE_FORMATS[image_format]
            out = io.BytesIO()
            if image_format == "JPEG":
                image.convert("RGB").save(out, format="JPEG", quality=90)
            else:
                image.save(out, format="PNG", optimize=True)
            thumb = image.convert("RGB")
            thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            thumb_out = io.BytesIO()
            thumb.save(thumb_out, format="JPEG", quality=80)
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("The image «%(name)s» is too large to open safely.") % {"name": name}, code="too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
        raise not_readable from exc
    return CheckedFile(out.getvalue(), content_type, extension, digest, name, thumb_out.getvalue())


def evidence_check(uploaded) -> CheckedFile:
    """Read and check one uploaded file; the stored form of it, or ValidationError with the reason."""
    data = _read(uploaded)
    digest = hashlib.sha256(data).hexdigest()
    name = uploaded.name or "file"
    if data.startswith(b"%PDF-"):
        return _check_pdf(data, name, digest)
    return _check_image(data, name, digest)
