"""Uploaded images — staff photos, event photos, portfolio evidence scans — checked in one place.

An image is recognised by its content, never by its name or the browser's content type: only the
JPEG (with MPO), PNG and HEIC/HEIF readers are tried. Its size is read from the header and a decompression
bomb refused before a single pixel is decoded. It is then decoded, turned upright by its EXIF
orientation, and re-encoded, which also drops EXIF such as GPS. A phone's multi-picture JPEG (MPO)
and an iPhone's HEIC photo (through pillow-heif, registered here) are stored as a plain JPEG of their
first picture; a PNG stays a PNG unless the caller asks for a JPEG, so transparency is kept.
"""

import contextlib
import fcntl
import io
import os
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# For <input type="file" accept=...>: a hint to the browser's picker; the content decides.
ACCEPT_IMAGES = "image/jpeg,image/png,image/heic,image/heif,.jpg,.jpeg,.png,.heic,.heif"

# The readers Pillow may try on an upload; anything else (an EPS, a TIFF, an HTML page) is refused.
# The JPEG reader also opens an MPO, and says so in the image's format.
READERS = ("JPEG", "PNG", "HEIF")
# How each is stored: many phones save photos as MPO, a JPEG with extra frames appended; iPhones
# save HEIC, which browsers cannot show.
STORED_AS = {"JPEG": "JPEG", "MPO": "JPEG", "HEIF": "JPEG", "PNG": "PNG"}
CONTENT_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


@dataclass(frozen=True)
class CheckedImage:
    content: bytes  # the re-encoded image: upright, without EXIF
    content_type: str
    extension: str
    thumbnail: bytes | None = None  # a JPEG, when the caller asked for one


def upload_read(uploaded) -> bytes:
    """The bytes of an uploaded file, or ValidationError if it is empty or over UPLOAD_MAX_MB."""
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


def uploads_budget_check(uploads) -> None:
    """Refuse the files of one request together, before a single one is decoded: more than
    UPLOAD_MAX_FILES of them, or pictures whose sizes (read from their headers) add up to more than
    UPLOAD_MAX_TOTAL_PIXELS. Files that are not pictures, or too large on their own, are left to their
    own checks.

    Raises ValidationError with code "too_many_files" or "too_many_pixels_total".
    """
    uploads = list(uploads)
    if len(uploads) > settings.UPLOAD_MAX_FILES:
        raise ValidationError(
            ngettext(
                "Choose at most %(limit)d file at a time (you chose %(count)d).",
                "Choose at most %(limit)d files at a time (you chose %(count)d).",
                settings.UPLOAD_MAX_FILES,
            )
            % {"limit": settings.UPLOAD_MAX_FILES, "count": len(uploads)},
            code="too_many_files",
        )
    total = 0
    for uploaded in uploads:
        uploaded.seek(0)
        try:
            with Image.open(uploaded, formats=READERS) as probe:  # reads the header only
                width, height = probe.size
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ):
            continue
        finally:
            uploaded.seek(0)
        if width * height <= settings.MAX_IMAGE_PIXELS:  # a bomb is refused by its own check, by name
            total += width * height
    if total > settings.UPLOAD_MAX_TOTAL_PIXELS:
        raise ValidationError(
            _(
                "These pictures are too large together (%(total)d megapixels; at most %(limit)d at a "
                "time). Upload fewer at once or reduce them."
            )
            % {"total": total // 1_000_000, "limit": settings.UPLOAD_MAX_TOTAL_PIXELS // 1_000_000},
            code="too_many_pixels_total",
        )


@contextlib.contextmanager
def heavy_decoding(name: str):
    """Hold the one decoding slot for heavy pictures that every worker of this machine shares (an
    exclusive lock on a file in IMAGE_DECODE_LOCK_DIR: locks of separate opens exclude each other
    across processes and threads alike). Waits at most IMAGE_DECODE_WAIT_MS for it, then
    raises ValidationError with code "busy"; the lock goes with the file when the holder ends,
    even if it crashed."""
    os.makedirs(settings.IMAGE_DECODE_LOCK_DIR, exist_ok=True)
    deadline = time.monotonic() + settings.IMAGE_DECODE_WAIT_MS / 1000
    with open(os.path.join(settings.IMAGE_DECODE_LOCK_DIR, "heavy-images.lock"), "a") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ValidationError(
                        _(
                            "Other large pictures are being processed right now, so «%(name)s» was "
                            "not accepted. Please try again in a minute."
                        )
                        % {"name": name},
                        code="busy",
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def image_check(
    data: bytes,
    *,
    name: str,
    max_side: int | None = None,
    as_jpeg: bool = False,
    quality: int = 90,
    thumbnail_side: int | None = None,
) -> CheckedImage:
    """Check an image by its content and return it re-encoded: upright, without EXIF, its longest side
    at most `max_side` (if given), as a JPEG (or a PNG stays a PNG unless `as_jpeg`), with a JPEG
    thumbnail if `thumbnail_side` is given.

    Raises ValidationError with code "too_many_pixels" for an image over MAX_IMAGE_PIXELS,
    "unreadable" for anything that is not a JPEG, PNG or HEIC picture that decodes completely, and
    "busy" for a heavy picture (over IMAGE_DECODE_HEAVY_PIXELS) that found the machine's decoding
    slot taken for longer than IMAGE_DECODE_WAIT_MS.
    """
    try:
        with Image.open(io.BytesIO(data), formats=READERS) as probe:
            # Only the header has been read: refuse a bomb before decoding a single pixel.
            width, height = probe.size
            if width * height > settings.MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image «%(name)s» is too large (%(width)d × %(height)d pixels).")
                    % {"name": name, "width": width, "height": height},
                    code="too_many_pixels",
                )
            stored_format = "JPEG" if as_jpeg else STORED_AS[probe.format]
            probe.verify()
        heavy = width * height > settings.IMAGE_DECODE_HEAVY_PIXELS
        with (
            heavy_decoding(name) if heavy else contextlib.nullcontext(),
            Image.open(io.BytesIO(data), formats=READERS) as image,
        ):
            image.load()  # a truncated JPEG fails here; an MPO loads its first frame
            image = ImageOps.exif_transpose(image)
            if max_side:
                image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            if stored_format == "JPEG":
                image.convert("RGB").save(out, format="JPEG", quality=quality)
            else:
                image.save(out, format="PNG", optimize=True)
            thumbnail = None
            if thumbnail_side:
                thumb = image.convert("RGB")
                thumb.thumbnail((thumbnail_side, thumbnail_side))
                thumb_out = io.BytesIO()
                thumb.save(thumb_out, format="JPEG", quality=80)
                thumbnail = thumb_out.getvalue()
    except Image.DecompressionBombError as exc:
        # Pillow's own limit (Image.MAX_IMAGE_PIXELS), met before ours only if ours is set higher.
        raise ValidationError(
            _("The image «%(name)s» is too large to open safely.") % {"name": name}, code="too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("This file is not a photo we can read (JPEG or PNG)."), code="unreadable"
        ) from exc
    content_type, extension = CONTENT_TYPES[stored_format]
    return CheckedImage(out.getvalue(), content_type, extension, thumbnail)


def photo_prepare(uploaded) -> ContentFile:
    """An uploaded staff or event photo as a JPEG no larger than PHOTO_MAX_SIDE, ready to store.

    Raises ValidationError (in the user's language) for anything that is not a readable image.
    """
    name = uploaded.name or "photo"
    checked = image_check(
        upload_read(uploaded), name=name, max_side=settings.PHOTO_MAX_SIDE, as_jpeg=True, quality=85
    )
    return ContentFile(checked.content, name="photo.jpg")


class PhotoField(forms.FileField):
    """The form field of a photo upload (`Meta.field_classes = {"photo": PhotoField}`): a new upload
    is cleaned into what `photo_prepare` returns. Used instead of Django's ImageField, which would
    open the upload with Pillow and judge it by its extension before these checks run."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT_IMAGES})

    def to_python(self, data):
        uploaded = super().to_python(data)
        return photo_prepare(uploaded) if uploaded else uploaded
