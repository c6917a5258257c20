import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from staff.access import staff_record
from staff.dates import add_months, add_years
from staff.models import Category, Employee, Position, TrainingKind
from tests.factories import (
    CategoryDecisionFactory,
    ConformityDecisionFactory,
    EmployeeFactory,
    MentorshipFactory,
    TrainingFactory,
)
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db


def jpeg_bytes(size=(1600, 1200), exif_orientation=None):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def test_my_page_shows_her_record_in_russian(client, anna):
    employee = staff_record(anna)
    CategoryDecisionFactory(
        employee=employee, category=Category.HIGHEST, decision_date=datetime.date(2024, 3, 1)
    )
    TrainingFactory(
        employee=employee, programme="Инклюзивное образование", end_date=datetime.date(2025, 1, 24)
    )
    mentee = EmployeeFactory(surname="Молодцова")
    MentorshipFactory(mentor=employee, mentee=mentee)
    client.force_login(anna)
    body = client.get(reverse("staff:my_page")).content.decode()
    assert "Антонова Мария Ивановна" in body
    assert "Высшая" in body
    assert "01.03.2029" not in body  # granted after 01.09.2023: the category has no end date
    assert 'data-kind="no_term"' in body
    assert "Инклюзивное образование" in body
    assert "24.01.2028" in body  # next course due
    assert "Я наставник: Молодцова" in body


def test_my_page_in_english_after_switching_language(client, anna):
    client.force_login(anna)
    client.post(reverse("set_language"), {"language": "en", "next": "/staff/me/"})
    body = client.get(reverse("staff:my_page")).content.decode()
    assert "Qualification category" in body
    assert "Квалификационная категория" not in body


def test_my_page_query_count_does_not_grow_with_history(client, anna, django_assert_num_queries):
    client.force_login(anna)
    employee = staff_record(anna)
    TrainingFactory(employee=employee)
    MentorshipFactory(mentor=employee)
    client.get(reverse("staff:my_page"))
    # session, user with her record, and one query for each part of her card (groups, categories,
    # conformity, leaves, courses, mentorships each way with the other person)
    with django_assert_num_queries(9) as one:
        client.get(reverse("staff:my_page"))
    for _ in range(5):
        TrainingFactory(employee=employee)
        CategoryDecisionFactory(employee=employee)
        MentorshipFactory(mentor=employee)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(reverse("staff:my_page")).content.decode()
    assert body.count("Современные образовательные технологии") == 6
    assert body.count("Я наставник") == 6


def test_teacher_edits_only_contacts(client, anna):
    client.force_login(anna)
    response = client.post(
        reverse("staff:my_contacts_edit"),
        {
            "phone": "+7 912 000-11-22",
            "email": "anna@example.org",
            "position": Position.PSYCHOLOGIST,
            "surname": "X",
        },
    )
    assert response.status_code == 302
    employee = Employee.objects.get(pk=staff_record(anna).pk)
    assert employee.phone == "+7 912 000-11-22"
    assert employee.position == Position.EDUCATOR
    assert employee.surname == "Антонова"


def test_photo_upload_is_resized_and_rotated(client, anna, settings):
    settings.PHOTO_MAX_SIDE = 400
    client.force_login(anna)
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_bytes((1600, 1200), exif_orientation=6), "image/jpeg")
    response = client.post(reverse("staff:my_contacts_edit"), {"phone": "", "email": "", "photo": upload})
    assert response.status_code == 302
    employee = Employee.objects.get(pk=staff_record(anna).pk)
    with Image.open(employee.photo.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (300, 400)  # turned upright by EXIF, longest side 400
    served = client.get(reverse("staff:photo", args=[employee.pk]))
    assert served["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "name,content",
    [("photo.jpg", b"MZ\x90\x00 this is an exe"), ("photo.png", b"<html><script>alert(1)</script></html>")],
)
def test_bad_photo_is_refused_and_typed_contacts_are_kept(client, anna, name, content):
    client.force_login(anna)
    response = client.post(
        reverse("staff:my_contacts_edit"),
        {"phone": "+7 999 123", "email": "a@example.org", "photo": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "изображение" in body or "фотографией" in body
    assert 'value="+7 999 123"' in body
    employee = Employee.objects.get(pk=staff_record(anna).pk)
    assert not employee.photo and employee.phone == ""


def test_oversized_photo_is_refused(client, anna, settings):
    settings.UPLOAD_MAX_MB = 0
    client.force_login(anna)
    upload = SimpleUploadedFile("big.jpg", jpeg_bytes((50, 50)), "image/jpeg")
    body = client.post(reverse("staff:my_contacts_edit"), {"photo": upload}).content.decode()
    assert "Файл «big.jpg» больше 0 МБ" in body
    assert not Employee.objects.get(pk=staff_record(anna).pk).photo


def test_home_page_shows_role_specific_links(client, anna, senior, head):
    client.force_login(anna)
    body = client.get("/").content.decode()
    assert reverse("staff:my_page") in body and "/admin/" not in body
    for name in ("events:plan", "events:my", "portfolios:my_portfolio", "reports:my_self_report"):
        assert reverse(name) in body
    assert f'href="{reverse("reports:dashboard")}"' not in body
    client.force_login(senior)
    body = client.get("/").content.decode()
    assert reverse("admin:staff_employee_import") in body
    client.force_login(head)
    body = client.get("/").content.decode()
    # The workbook link appears once there is a workbook (tests/kindergarten_portal/test_home.py).
    assert reverse("reports:dashboard") in body
    assert "только просмотр" in body.lower() and reverse("admin:staff_employee_import") not in body


def test_contact_email_is_the_account_email_for_password_resets(client, anna, mailoutbox):
    client.force_login(anna)
    client.post(reverse("staff:my_contacts_edit"), {"phone": "", "email": "anna.new@sad.ru"})
    anna.refresh_from_db()
    assert anna.email == "anna.new@sad.ru"
    client.logout()
    client.post(reverse("password_reset"), {"email": "anna.new@sad.ru"})
    assert send_queued() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["anna.new@sad.ru"]


def test_phone_must_look_like_a_phone_and_input_is_kept(client, anna):
    client.force_login(anna)
    response = client.post(reverse("staff:my_contacts_edit"), {"phone": "abc", "email": "a@sad.ru"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="abc"' in body and 'value="a@sad.ru"' in body
    assert Employee.objects.get(pk=staff_record(anna).pk).phone == ""


def test_current_photo_is_shown_and_can_be_removed(client, anna):
    client.force_login(anna)
    upload = SimpleUploadedFile("me.jpg", jpeg_bytes((100, 100)), "image/jpeg")
    client.post(reverse("staff:my_contacts_edit"), {"photo": upload})
    employee = Employee.objects.get(pk=staff_record(anna).pk)
    body = client.get(reverse("staff:my_contacts_edit")).content.decode()
    assert reverse("staff:photo", args=[employee.pk]) in body and "/media/" not in body
    client.post(reverse("staff:my_contacts_edit"), {"phone": "", "email": "", "remove_photo": "on"})
    assert not Employee.objects.get(pk=employee.pk).photo


def test_experience_reads_without_zero_parts():
    employee = EmployeeFactory(experience_start=datetime.date(2000, 1, 1))
    employee.experience_on = lambda on=None: (18, 0)
    assert employee.experience_display == "18 лет"
    employee.experience_on = lambda on=None: (0, 5)
    assert employee.experience_display == "5 месяцев"


def test_my_page_says_what_to_do_and_by_when(client, anna, time_machine):
    # A literal day: on the 29th–31st four months on and three back is not one month on.
    time_machine.move_to(datetime.datetime(2026, 12, 15, 10, tzinfo=timezone.get_current_timezone()))
    today = timezone.localdate()
    employee = staff_record(anna)
    # Granted before 01.09.2023; the decision set its end four months from now.
    CategoryDecisionFactory(
        employee=employee,
        category=Category.FIRST,
        decision_date=datetime.date(2022, 1, 10),
        valid_until=add_months(today, 4),
    )
    TrainingFactory(
        employee=employee, hours=12, start_date=add_years(today, -1), end_date=add_years(today, -1)
    )
    TrainingFactory(
        employee=employee, hours=72, start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 5, 20)
    )
    client.force_login(anna)
    response = client.get(reverse("staff:my_page"))
    body = response.content.decode()
    todo = body[body.index('data-test="todo"') : body.index("</ul>", body.index('data-test="todo"'))]
    assert 'data-kind="category_ends"' in todo
    assert add_months(today, 1).strftime("%d.%m.%Y") in todo  # apply by: 3 months before the end
    assert add_months(today, 4).strftime("%d.%m.%Y") in todo
    assert 'data-kind="course"' in todo and "20.05.2027" in todo  # the 12-hour course does not count
    assert 'data-kind="no_term"' not in todo and 'data-kind="conformity"' not in todo


def test_my_page_words_in_english(client, anna):
    employee = staff_record(anna)
    employee.hire_date = datetime.date(2016, 9, 1)
    employee.save()
    ConformityDecisionFactory(employee=employee, decision_date=datetime.date(2024, 10, 7))
    TrainingFactory(
        employee=employee,
        kind=TrainingKind.RETRAINING,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 6, 30),
    )
    client.force_login(anna)
    client.post(reverse("set_language"), {"language": "en", "next": "/staff/me/"})
    body = client.get(reverse("staff:my_page")).content.decode()
    assert "Attestation for conformity to the post by 07.10.2029." in body
    assert "Course training (16 hours or more) or professional retraining by 30.06.2028." in body


def test_my_page_says_the_category_has_no_term(client, anna):
    CategoryDecisionFactory(
        employee=staff_record(anna), category=Category.HIGHEST, decision_date=datetime.date(2023, 9, 1)
    )
    client.force_login(anna)
    client.post(reverse("set_language"), {"language": "en", "next": "/staff/me/"})
    body = client.get(reverse("staff:my_page")).content.decode()
    assert "Highest category, no end date" in body and 'data-kind="no_term"' in body
    assert "01.09.2028" not in body


def test_phone_inputs_are_tel(client, anna, senior):
    client.force_login(anna)
    page = client.get(reverse("staff:my_contacts_edit")).content.decode()
    assert re.search(r'<input type="tel" name="phone"', page)
    client.force_login(senior)
    page = client.get(reverse("admin:staff_employee_change", args=[staff_record(anna).pk])).content.decode()
    assert re.search(r'<input type="tel" name="phone"', page)
