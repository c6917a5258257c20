"""The one image pipeline (staff.images): staff and event photos get every check evidence scans get."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.forms import EventPhotoForm
from staff.access import staff_record
from staff.images import photo_prepare
from staff.models import Employee
from tests.factories import png_claiming

ORIENTATION, MAKE, GPS_INFO = 0x0112, 0x010F, 0x8825


def _stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _phone_jpeg(size=(80, 40), orientation=6) -> bytes:
    """A photo as a phone saves it: pixels stored sideways, EXIF saying how to turn them, a maker."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation  # 6: "rotate 90° clockwise to view"
    exif[MAKE] = "PhoneMaker"
    image = Image.new("RGB", size, (10, 200, 10))
    image.paste((200, 10, 10), (0, 0, size[0] // 2, size[1]))  # left half red, right half green
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _heic(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 150, 0)).save(out, format="HEIF", quality=90)
    assert out.getvalue()[4:12] in (b"ftypheic", b"ftypmif1")  # a real HEIF container
    return out.getvalue()


@pytest.mark.parametrize(
    "width,height,message",
    [
        # 81 megapixels: over our 60, under Pillow's own limit; the size is named.
        (9000, 9000, "«huge.png» слишком большое (9000 × 9000 пикселей)"),
        # 400 megapixels: Pillow's own limit (Image.MAX_IMAGE_PIXELS) already refuses it on opening.
        (20000, 20000, "«huge.png» слишком большое, его нельзя безопасно открыть"),
    ],
)
def test_staff_photo_bomb_refused_and_nothing_stored(client, anna, settings, width, height, message):
    client.force_login(anna)
    bomb = SimpleUploadedFile("huge.png", png_claiming(width, height), "image/png")
    assert bomb.size < 200  # tens of megapixels claimed in a few bytes
    response = client.post(
        reverse("staff:my_contacts_edit"), {"phone": "+7 912 000-11-22", "email": "", "photo": bomb}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="+7 912 000-11-22"' in body
    employee = Employee.objects.get(pk=staff_record(anna).pk)
    assert not employee.photo and employee.phone == ""
    assert _stored_files(settings) == []


def test_photo_over_the_pixel_setting_refused_before_decoding(settings):
    settings.MAX_IMAGE_PIXELS = 100 * 100
    # The PNG's pixels are never decoded: 101 × 100 is refused on its header alone.
    with pytest.raises(ValidationError) as refused:
        photo_prepare(SimpleUploadedFile("a.png", png_claiming(101, 100)))
    assert refused.value.code == "too_many_pixels"
    ok = io.BytesIO()
    Image.new("RGB", (100, 100), (0, 0, 200)).save(ok, format="PNG")
    assert photo_prepare(SimpleUploadedFile("b.png", ok.getvalue())).read().startswith(b"\xff\xd8")


def test_event_photo_bomb_refused(db):
    form = EventPhotoForm(
        data={"caption": "Утренник"},
        files={"image": SimpleUploadedFile("huge.png", png_claiming(20000, 20000), "image/png")},
    )
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["image"]] == ["too_many_pixels"]


def test_photo_turned_upright_and_exif_stripped():
    source = _phone_jpeg()
    with Image.open(io.BytesIO(source)) as original:
        assert original.getexif()[MAKE] == "PhoneMaker"
    stored = photo_prepare(SimpleUploadedFile("IMG_0001.JPG", source))
    with Image.open(io.BytesIO(stored.read())) as image:
        assert (image.format, image.size) == ("JPEG", (40, 80))
        assert dict(image.getexif()) == {}
        # Turned clockwise: the red left half of the stored pixels is now on top.
        red, green, _blue = image.getpixel((20, 10))
        assert red > 150 and green < 60
        red, green, _blue = image.getpixel((20, 70))
        assert green > 150 and red < 60


def test_phone_mpo_photo_stored_as_jpeg_of_its_first_frame():
    first, second = Image.new("RGB", (60, 40), (200, 0, 0)), Image.new("RGB", (60, 40), (0, 0, 200))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    stored = photo_prepare(SimpleUploadedFile("IMG_0003.JPG", out.getvalue()))
    with Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
        red, _green, blue = image.getpixel((30, 20))
        assert red > 150 and blue < 60


def test_heic_staff_photo_stored_as_jpeg(client, anna):
    client.force_login(anna)
    upload = SimpleUploadedFile("IMG_0002.HEIC", _heic(), "image/heic")
    response = client.post(reverse("staff:my_contacts_edit"), {"phone": "", "email": "", "photo": upload})
    assert response.status_code == 302
    with Image.open(Employee.objects.get(pk=staff_record(anna).pk).photo.path) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)


def test_heic_opener_registered_by_the_image_module_itself(tmp_path):
    """Without anything of portfolios imported, staff.images alone reads an iPhone photo."""
    heic = tmp_path / "IMG_0002.HEIC"
    heic.write_bytes(_heic())
    script = f"""
import sys
from django.conf import settings
settings.configure(
    USE_I18N=False, UPLOAD_MAX_MB=10, MAX_IMAGE_PIXELS=60_000_000, PHOTO_MAX_SIDE=800,
    IMAGE_DECODE_HEAVY_PIXELS=24_000_000,
)
from django.core.files.uploadedfile import SimpleUploadedFile
from staff.images import photo_prepare
stored = photo_prepare(SimpleUploadedFile("IMG_0002.HEIC", open({str(heic)!r}, "rb").read()))
assert stored.read().startswith(b"\\xff\\xd8"), "not a JPEG"
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("portfolios", "events", "reports"))
print("higher apps loaded:", loaded)
"""
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "higher apps loaded: []"


@pytest.mark.parametrize("image_format", ["BMP", "GIF", "TIFF"])
def test_only_jpeg_png_and_heic_readers_are_tried(image_format):
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 200)).save(out, format=image_format)
    with pytest.raises(ValidationError) as refused:
        photo_prepare(SimpleUploadedFile("photo.jpg", out.getvalue()))
    assert refused.value.code == "unreadable"


@pytest.fixture
def decoding_slot_held(settings, tmp_path):
    """Another process holds the machine's slot for heavy pictures (a server worker decoding one),
    until the test lets it go (`release()`)."""
    settings.IMAGE_DECODE_LOCK_DIR = str(tmp_path / "locks")
    settings.IMAGE_DECODE_HEAVY_PIXELS = 1000  # the 80 × 40 test photo (3 200 px) counts as heavy
    settings.IMAGE_DECODE_WAIT_MS = 100
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; os.makedirs(sys.argv[1], exist_ok=True); "
            "f = open(os.path.join(sys.argv[1], 'heavy-images.lock'), 'a'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()",
            settings.IMAGE_DECODE_LOCK_DIR,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"

    def release():
        holder.stdin.close()
        holder.wait(timeout=10)

    yield release
    if holder.poll() is None:
        release()


def test_heavy_picture_refused_while_another_process_decodes_one(client, anna, settings, decoding_slot_held):
    client.force_login(anna)
    url = reverse("staff:my_contacts_edit")
    photo = SimpleUploadedFile("big.jpg", _phone_jpeg(), "image/jpeg")
    response = client.post(url, {"phone": "+7 912 000-11-22", "email": "", "photo": photo})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Сейчас обрабатываются другие большие изображения, поэтому «big.jpg» не принято." in body
    assert 'value="+7 912 000-11-22"' in body  # what she typed is kept
    employee = Employee.objects.get(pk=staff_record(anna).pk)
    assert not employee.photo and employee.phone == ""
    assert _stored_files(settings) == []

    decoding_slot_held()  # the other worker is done: the same upload goes through
    photo = SimpleUploadedFile("big.jpg", _phone_jpeg(), "image/jpeg")
    response = client.post(url, {"phone": "+7 912 000-11-22", "email": "", "photo": photo})
    assert response.status_code == 302
    assert Employee.objects.get(pk=staff_record(anna).pk).photo


def test_small_picture_does_not_wait_for_the_heavy_slot(settings, decoding_slot_held):
    settings.IMAGE_DECODE_HEAVY_PIXELS = 80 * 40  # not over: decoded at once, slot or no slot
    prepared = photo_prepare(SimpleUploadedFile("small.jpg", _phone_jpeg(), "image/jpeg"))
    assert prepared.read().startswith(b"\xff\xd8")
