"""Bad evidence files are each refused with a clear message, and nothing is stored."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portfolios.files import evidence_check
from portfolios.models import EvidenceFile, PortfolioEntry
from tests.factories import pdf_bytes, png_claiming
from tests.portfolios.factories import PDF_BYTES, jpeg_bytes, png_bytes

BAD_FILES = {
    "exe_renamed": ("setup.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "is not a JPEG, PNG or PDF"),
    "truncated_jpeg": ("photo.jpg", jpeg_bytes((400, 300))[:600], "is not a JPEG, PNG or PDF"),
    "bomb_20000": ("huge.png", png_claiming(20000, 20000), "too large"),
    "html_as_png": (
        "page.png",
        b"<!doctype html><html><script>alert(1)</script></html>",
        "is not a JPEG, PNG",
    ),
    "empty": ("empty.jpg", b"", "empty"),
    "truncated_pdf": ("scan.pdf", PDF_BYTES[:40], "incomplete or damaged"),
    # What a PDF library cannot read through is refused, whatever its header says.
    "html_behind_pdf_header": (
        "scan.pdf",
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
        "incomplete or damaged",
    ),
    "pdf_cut_then_eof": ("scan.pdf", PDF_BYTES[:300] + b"\n%%EOF\n", "incomplete or damaged"),
    # Scripts and actions: the message is a new string (English until the catalogue is merged).
    "pdf_names_javascript": ("scan.pdf", pdf_bytes(active="names_js"), "scripts, actions or attached files"),
    "pdf_open_action_js": (
        "scan.pdf",
        pdf_bytes(active="open_action_js"),
        "scripts, actions or attached files",
    ),
    "pdf_page_aa_js": ("scan.pdf", pdf_bytes(active="page_aa_js"), "scripts, actions or attached files"),
    "pdf_launch_link": (
        "scan.pdf",
        pdf_bytes(active="annotation_launch"),
        "scripts, actions or attached files",
    ),
    "pdf_embedded_file": (
        "scan.pdf",
        pdf_bytes(active="embedded_file"),
        "scripts, actions or attached files",
    ),
}


def _form_data(**extra):
    return {
        "item": "2",
        "kind": "gratitude",
        "title": "Грамота за подготовку к утреннику",
        "date": "2025-12-20",
        "level": "municipal",
        "result": "",
        "organizer": "Управление образования",
        "is_public": "on",
        **extra,
    }


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_refused_with_message_and_nothing_stored(client, anna, settings, case):
    name, content, message = BAD_FILES[case]
    client.force_login(anna)
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = client.post("/portfolio/entries/add/", _form_data(files=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    # What was typed is kept.
    assert "Грамота за подготовку к утреннику" in response.content.decode()
    assert PortfolioEntry.objects.count() == 0
    assert EvidenceFile.objects.count() == 0
    assert _stored_files(settings) == []


def test_file_over_the_limit_refused(client, anna, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(anna)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10) + b"\n%%EOF\n")
    response = client.post("/portfolio/entries/add/", _form_data(files=big))
    assert "larger than 1 MB" in response.content.decode()
    assert PortfolioEntry.objects.count() == 0
    assert _stored_files(settings) == []


def test_bomb_refused_before_pixels_are_decoded(settings):
    settings.MAX_IMAGE_PIXELS = 100 * 100
    # 101 × 100 passes Pillow's own limit by far; ours is checked on the header alone.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="too large"):
        evidence_check(SimpleUploadedFile("a.png", png_bytes((101, 100))))
    assert evidence_check(SimpleUploadedFile("b.png", png_bytes((100, 100)))).content_type == "image/png"


def test_good_files_accepted_by_content_not_name():
    jpeg = evidence_check(SimpleUploadedFile("looks-like.pdf", jpeg_bytes()))
    assert (jpeg.content_type, jpeg.extension) == ("image/jpeg", "jpg")
    assert jpeg.thumbnail.startswith(b"\xff\xd8")
    pdf = evidence_check(SimpleUploadedFile("scan.jpg", PDF_BYTES))
    assert (pdf.content_type, pdf.thumbnail, pdf.content) == ("application/pdf", None, PDF_BYTES)


def test_exif_orientation_applied_and_exif_dropped():
    import io

    from PIL import Image

    image = Image.new("RGB", (80, 40), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    checked = evidence_check(SimpleUploadedFile("phone.jpg", out.getvalue()))
    with Image.open(io.BytesIO(checked.content)) as stored:
        assert stored.size == (40, 80)
        assert 0x0112 not in stored.getexif() and 0x010F not in stored.getexif()


def test_phone_mpo_photo_stored_as_jpeg_of_its_first_frame(client, anna):
    import io

    from PIL import Image

    first, second = Image.new("RGB", (60, 40), (200, 0, 0)), Image.new("RGB", (60, 40), (0, 0, 200))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    with Image.open(io.BytesIO(out.getvalue())) as probe:
        assert probe.format == "MPO"  # what Pillow reports for many phone photos
    client.force_login(anna)
    response = client.post(
        "/portfolio/entries/add/", _form_data(files=SimpleUploadedFile("IMG_0001.JPG", out.getvalue()))
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.content_type, evidence.file.name.rsplit(".", 1)[1]) == ("image/jpeg", "jpg")
    assert evidence.thumbnail
    with evidence.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
        red, _green, blue = image.getpixel((30, 20))
        assert red > 150 and blue < 60  # the first frame


def test_iphone_heic_photo_stored_as_jpeg(client, anna):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 150, 0)).save(out, format="HEIF", quality=90)
    assert out.getvalue()[4:12] in (b"ftypheic", b"ftypmif1")  # a real HEIF container
    client.force_login(anna)
    response = client.post(
        "/portfolio/entries/add/", _form_data(files=SimpleUploadedFile("IMG_0002.HEIC", out.getvalue()))
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.content_type, evidence.file.name.rsplit(".", 1)[1]) == ("image/jpeg", "jpg")
    with evidence.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        _red, green, _blue = image.getpixel((32, 24))
        assert green > 100


# ---------------------------------------------------------------- one request's budget


def _png_uploads(count, width, height):
    return [
        SimpleUploadedFile(f"flood{i}.png", png_claiming(width, height), content_type="image/png")
        for i in range(count)
    ]


def test_pixel_flood_refused_before_any_picture_is_decoded(client, anna, settings):
    """The probe: six 60-megapixel PNGs in one request. Each passes the per-image limit; together
    they are over the request's budget, refused from their headers alone (their pixel data is a few
    bytes: decoding any would fail, so a refusal naming the budget proves none was decoded)."""
    client.force_login(anna)
    started = time.monotonic()
    response = client.post("/portfolio/entries/add/", _form_data(files=_png_uploads(6, 10_000, 6_000)))
    assert time.monotonic() - started < 5
    page = response.content.decode()
    assert response.status_code == 200
    assert "too large together (360 megapixels; at most 120 at a time)" in page  # new string
    assert PortfolioEntry.objects.count() == 0 and EvidenceFile.objects.count() == 0
    assert _stored_files(settings) == []


def test_pictures_within_the_budget_together_pass_it(client, anna, settings):
    settings.UPLOAD_MAX_TOTAL_PIXELS = 3 * 64 * 48
    client.force_login(anna)
    files = [SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(3)]
    client.post("/portfolio/entries/add/", _form_data(files=files))
    assert EvidenceFile.objects.count() == 1  # the same picture three times is stored once
    settings.UPLOAD_MAX_TOTAL_PIXELS = 3 * 64 * 48 - 1
    files = [SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(3)]
    response = client.post("/portfolio/entries/add/", _form_data(files=files))
    assert "too large together" in response.content.decode()
    assert PortfolioEntry.objects.count() == 1


def test_too_many_files_in_one_request_refused(client, anna, settings):
    settings.UPLOAD_MAX_FILES = 3
    client.force_login(anna)
    files = [SimpleUploadedFile(f"{i}.pdf", PDF_BYTES, content_type="application/pdf") for i in range(4)]
    response = client.post("/portfolio/entries/add/", _form_data(files=files))
    assert "Choose at most 3 files at a time (you chose 4)." in response.content.decode()  # new string
    assert PortfolioEntry.objects.count() == 0 and _stored_files(settings) == []


def test_django_caps_the_number_of_files_while_reading_the_request(client, anna, settings):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 2 * settings.UPLOAD_MAX_FILES == 20
    client.force_login(anna)
    response = client.post("/portfolio/entries/add/", _form_data(files=_png_uploads(45, 10, 10)))
    assert response.status_code == 400
    assert PortfolioEntry.objects.count() == 0 and _stored_files(settings) == []


def test_clean_pdf_accepted_and_stored_as_uploaded():
    data = pdf_bytes()
    checked = evidence_check(SimpleUploadedFile("certificate.pdf", data))
    assert (checked.content_type, checked.extension, checked.content) == ("application/pdf", "pdf", data)


def test_pdf_locked_by_a_password_refused_one_only_owner_locked_accepted():
    from django.core.exceptions import ValidationError
    from pypdf import PdfWriter

    def encrypted(user_password):
        writer = PdfWriter()
        writer.add_blank_page(100, 100)
        writer.encrypt(user_password=user_password, owner_password="office", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    # Printing restrictions only (opens without a password): readable, checked, accepted.
    assert evidence_check(SimpleUploadedFile("a.pdf", encrypted(""))).content_type == "application/pdf"
    with pytest.raises(ValidationError) as refused:
        evidence_check(SimpleUploadedFile("b.pdf", encrypted("secret")))
    assert refused.value.code == "encrypted"


def test_a_single_bomb_among_files_gets_its_own_message_not_the_budgets(client, anna, settings):
    settings.MAX_IMAGE_PIXELS = 100 * 100
    settings.UPLOAD_MAX_TOTAL_PIXELS = 150 * 150
    client.force_login(anna)
    files = [
        SimpleUploadedFile("huge.png", png_claiming(200, 200)),
        SimpleUploadedFile("ok.jpg", jpeg_bytes()),
    ]
    page = client.post("/portfolio/entries/add/", _form_data(files=files)).content.decode()
    assert "The image «huge.png» is too large (200 × 200 pixels)." in page
    assert "too large together" not in page
    assert PortfolioEntry.objects.count() == 0 and _stored_files(settings) == []
