"""Attendance certificates: the PDF read back, its number and QR code, who may download it, the
public verification page, revoking, the event's bundle; and the sign-in sheet."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from events.documents import certificate_qr_png, certificate_wording
from events.models import (
    EventCertificate,
    EventStatus,
    Participation,
    ParticipationRole,
    ParticipationStatus,
)
from events.services import (
    attendance_mark,
    attendance_unmark,
    certificate_issue,
    certificate_revoke,
    event_certificates_issue,
)
from staff.academic import AcademicYear
from staff.access import staff_record
from staff.models import Sex
from tests.events.factories import (
    EventFactory,
    ExternalParticipantFactory,
    ParticipationFactory,
    our_kindergarten,
)
from tests.factories import PASSWORD, EmployeeFactory, teacher_user

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2026, 5, 15, 10, 0))
TITLE = "Игра как форма организации детской жизни"


def _held_event(**fields):
    return EventFactory(
        title=fields.pop("title", TITLE),
        start=START,
        end=START + datetime.timedelta(hours=2),
        status=EventStatus.HELD,
        **fields,
    )


def _attended(event, teacher, role=ParticipationRole.LISTENER):
    participation = ParticipationFactory(event=event, teacher=teacher, role=role)
    attendance_mark(participations=Participation.objects.filter(pk=participation.pk), attended=True)
    participation.refresh_from_db()
    return participation


def _pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _text(reader):
    # Lines are joined: a long title may wrap.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# ---------------------------------------------------------------- wording


@pytest.mark.parametrize(
    "sex,role,expected",
    [
        (Sex.FEMALE, ParticipationRole.SPEAKER, ("подтверждает, что", "приняла участие", "выступающей")),
        (Sex.MALE, ParticipationRole.SPEAKER, ("подтверждает, что", "принял участие", "выступающего")),
        ("", ParticipationRole.SPEAKER, ("подтверждает участие", "в мероприятии", "докладчика")),
        (Sex.FEMALE, ParticipationRole.OPEN_SHOW_PRESENTER, ("что", "приняла", "ведущей открытого показа")),
        ("", ParticipationRole.OPEN_SHOW_PRESENTER, ("участие", "в мероприятии", "автора открытого показа")),
        (Sex.MALE, ParticipationRole.ORGANIZER, ("что", "принял", "организатора")),
        ("", ParticipationRole.LISTENER, ("участие", "в мероприятии", "слушателя")),
        (Sex.FEMALE, ParticipationRole.JURY, ("что", "приняла", "члена жюри")),
    ],
)
def test_certificate_wording_follows_the_sex(sex, role, expected):
    lead, predicate, role_words = certificate_wording(sex=sex, role=role)
    assert lead.endswith(expected[0])
    assert predicate.startswith(expected[1])
    assert role_words == expected[2]


def test_every_role_has_its_wording():
    for role in ParticipationRole.values:
        assert all(certificate_wording(sex=sex, role=role)[2] for sex in (Sex.FEMALE, Sex.MALE, ""))


# ---------------------------------------------------------------- a teacher's certificate


def test_teacher_downloads_her_certificate_with_her_name_role_event_date_and_number(client, anna):
    staff_record(anna).sex = Sex.FEMALE
    staff_record(anna).save()
    participation = _attended(_held_event(), staff_record(anna), role=ParticipationRole.SPEAKER)
    client.force_login(anna)

    reader = _pdf(client.get(reverse("events:my_certificate", args=[participation.pk])))

    certificate = EventCertificate.objects.get(participation=participation)
    assert certificate.number == f"{timezone.localdate():%Y}-{certificate.pk:06d}"
    assert len(reader.pages) == 1
    text = _text(reader)
    assert "Антонова Мария Ивановна" in text
    assert "приняла участие в мероприятии" in text
    assert "в качестве выступающей" in text
    assert f"«{TITLE}»" in text
    assert "15 мая 2026 г." in text
    assert "объём: 2 ч." in text
    assert f"№ {certificate.number}" in text
    assert "муниципальный" in text
    assert len(reader.pages[0].images) == 1  # the QR code


def test_certificate_of_a_man_and_of_a_teacher_whose_sex_is_not_on_record(client):
    ivan = teacher_user("ivan", surname="Иванов", name="Иван", patronymic="Петрович", sex=Sex.MALE)
    olga = teacher_user("olga", surname="Орлова", name="Ольга", patronymic="Сергеевна")
    event = _held_event()
    his = _attended(event, staff_record(ivan), role=ParticipationRole.SPEAKER)
    hers = _attended(event, staff_record(olga), role=ParticipationRole.SPEAKER)

    client.force_login(ivan)
    text = _text(_pdf(client.get(reverse("events:my_certificate", args=[his.pk]))))
    assert "Иванов Иван Петрович" in text
    assert "принял участие" in text and "приняла" not in text
    assert "в качестве выступающего" in text

    client.force_login(olga)
    text = _text(_pdf(client.get(reverse("events:my_certificate", args=[hers.pk]))))
    assert "подтверждает участие" in text
    assert "принял" not in text
    assert "в качестве докладчика" in text


def test_hours_of_a_one_day_event_only(client, anna):
    three_days = EventFactory(start=START, end=START + datetime.timedelta(days=2), status=EventStatus.HELD)
    client.force_login(anna)
    text = _text(
        _pdf(
            client.get(reverse("events:my_certificate", args=[_attended(three_days, staff_record(anna)).pk]))
        )
    )
    assert "15.05.2026 – 17.05.2026" in text
    assert "объём" not in text

    ninety_minutes = _held_event(title="Консультация")
    ninety_minutes.end = START + datetime.timedelta(minutes=90)
    ninety_minutes.save()
    text = _text(
        _pdf(
            client.get(
                reverse("events:my_certificate", args=[_attended(ninety_minutes, staff_record(anna)).pk])
            )
        )
    )
    assert "объём: 1,5 ч." in text


def test_hours_the_office_gave_and_none_when_nobody_gave_a_length(client, anna):
    # Three days with 6 hours entered: the office's figure, whatever the clock says.
    seminar = EventFactory(
        title="Выездной семинар",
        start=START,
        end=START + datetime.timedelta(days=2),
        hours=Decimal("6"),
        status=EventStatus.HELD,
    )
    # An event imported from a plan without an end: no length was given, none is printed.
    no_end = EventFactory(title="Вебинар ИМЦ", start=START, end=None, status=EventStatus.HELD)
    client.force_login(anna)

    def text_of(event):
        participation = _attended(event, staff_record(anna))
        return _text(_pdf(client.get(reverse("events:my_certificate", args=[participation.pk]))))

    assert "объём: 6 ч." in text_of(seminar)
    text = text_of(no_end)
    assert "Дата проведения: 15 мая 2026 г." in text
    assert "объём" not in text and " ч." not in text


def test_downloading_again_gives_the_same_number(client, anna):
    participation = _attended(_held_event(), staff_record(anna))
    client.force_login(anna)
    url = reverse("events:my_certificate", args=[participation.pk])

    first = _text(_pdf(client.get(url)))
    second = _text(_pdf(client.get(url)))

    certificate = EventCertificate.objects.get()
    assert f"№ {certificate.number}" in first
    assert f"№ {certificate.number}" in second
    assert certificate_issue(participation=participation).number == certificate.number


def test_numbers_never_repeat_and_follow_the_ids(anna, boris):
    event = _held_event()
    first = certificate_issue(participation=_attended(event, staff_record(anna)))
    second = certificate_issue(participation=_attended(event, staff_record(boris)))
    assert first.number != second.number
    assert int(second.number.split("-")[1]) == second.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        EventCertificate.objects.filter(pk=second.pk).update(number=first.number)


def test_qr_code_in_the_pdf_decodes_to_the_verification_address(client, anna):
    participation = _attended(_held_event(), staff_record(anna))
    client.force_login(anna)
    reader = _pdf(client.get(reverse("events:my_certificate", args=[participation.pk])))
    certificate = EventCertificate.objects.get()
    expected = f"http://testserver/events/certificates/{certificate.number}/{certificate.check_code}/"

    # The image embedded in the PDF, read back out of it.
    embedded = reader.pages[0].images[0].image.convert("L")
    assert [barcode.text for barcode in zxingcpp.read_barcodes(embedded)] == [expected]
    # ... is the one the certificate's QR function makes.
    made = Image.open(io.BytesIO(certificate_qr_png(expected))).convert("L")
    assert [barcode.text for barcode in zxingcpp.read_barcodes(made)] == [expected]
    assert expected in _text(reader)


def test_portal_base_url_makes_the_printed_address(client, anna, settings):
    settings.PORTAL_BASE_URL = "https://portal.sad12.ru/"
    participation = _attended(_held_event(), staff_record(anna))
    client.force_login(anna)
    reader = _pdf(client.get(reverse("events:my_certificate", args=[participation.pk])))
    certificate = EventCertificate.objects.get()
    embedded = reader.pages[0].images[0].image.convert("L")
    assert zxingcpp.read_barcodes(embedded)[0].text == (
        f"https://portal.sad12.ru/events/certificates/{certificate.number}/{certificate.check_code}/"
    )


def test_head_name_and_kindergarten_from_our_kindergartens_record(client, anna):
    our_kindergarten("МБДОУ «Детский сад № 12 „Солнышко“»", head_name="Сидорова Е. В.")
    participation = _attended(_held_event(), staff_record(anna))
    client.force_login(anna)
    text = _text(_pdf(client.get(reverse("events:my_certificate", args=[participation.pk]))))
    assert "МБДОУ «Детский сад № 12 „Солнышко“»" in text
    assert "Сидорова Е. В." in text


# ---------------------------------------------------------------- who gets one


def test_another_teachers_certificate_is_a_404_and_anonymous_signs_in(client, anna, boris):
    participation = _attended(_held_event(), staff_record(anna))
    url = reverse("events:my_certificate", args=[participation.pk])

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    client.force_login(boris)
    assert client.get(url).status_code == 404
    assert not EventCertificate.objects.exists()


@pytest.mark.parametrize("status", [ParticipationStatus.SIGNED_UP, ParticipationStatus.ABSENT])
def test_no_certificate_before_attendance_is_marked(client, anna, status):
    participation = ParticipationFactory(event=_held_event(), teacher=staff_record(anna), status=status)
    client.force_login(anna)
    assert client.get(reverse("events:my_certificate", args=[participation.pk])).status_code == 404
    with pytest.raises(ValidationError):
        certificate_issue(participation=participation)
    assert not EventCertificate.objects.exists()


def test_certificate_is_of_exactly_one_participant(anna):
    participation = _attended(_held_event(), staff_record(anna))
    external = ExternalParticipantFactory(event=participation.event, attended=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        EventCertificate.objects.create(
            number="x-1",
            participation=participation,
            external_participant=external,
            check_code="a",
            token="a",
            issued_by=participation.event.host,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EventCertificate.objects.create(
            number="x-2", check_code="b", token="b", issued_by=participation.event.host
        )


def test_my_events_links_the_certificate_of_an_attended_event(client, anna):
    participation = _attended(_held_event(), staff_record(anna))
    client.force_login(anna)
    # Her page lists one academic year's attended events: the year of the event.
    year = AcademicYear.of(timezone.localdate(START)).label
    content = client.get(reverse("events:my"), {"year": year}).content.decode()
    assert reverse("events:my_certificate", args=[participation.pk]) in content


# ---------------------------------------------------------------- verification page


def _verify_url(certificate):
    return reverse("events:certificate_verify", args=[certificate.number, certificate.check_code])


def test_verification_page_is_public_and_shows_only_initials_event_and_date(client, anna):
    staff_record(anna).phone = "+7 912 345-67-89"
    staff_record(anna).save()
    certificate = certificate_issue(
        participation=_attended(_held_event(place="Музыкальный зал"), staff_record(anna))
    )

    response = client.get(_verify_url(certificate))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Антонова М.И." in content
    assert TITLE in content
    assert "15.05.2026" in content
    assert certificate.number in content
    assert "alert-success" in content
    for private in ("Мария", "Ивановна", "Музыкальный зал", "912", "воспитатель", "anna@example.org"):
        assert private not in content


def test_made_up_number_or_code_is_a_404_that_says_so(client, anna):
    certificate = certificate_issue(participation=_attended(_held_event(), staff_record(anna)))
    for number, code in (("2026-999999", "0000000000"), (certificate.number, "0000000000")):
        response = client.get(reverse("events:certificate_verify", args=[number, code]))
        assert response.status_code == 404
        content = response.content.decode()
        assert f"Сертификат № {number}" in content
        assert "Сертификат с таким номером и кодом проверки детский сад не выдавал." in content
        assert "Страница не найдена" not in content and staff_record(anna).surname not in content


def test_revoked_certificate_says_so_and_is_no_longer_downloaded(client, anna):
    participation = _attended(_held_event(), staff_record(anna))
    certificate = certificate_issue(participation=participation)
    certificate_revoke(
        certificate=certificate,
        reason="Ошибочно отмечено посещение",
        now=timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0)),
    )

    content = client.get(_verify_url(certificate)).content.decode()
    assert "alert-danger" in content and "alert-success" not in content
    assert "01.06.2026" in content
    assert "Ошибочно" not in content  # the reason stays in the records

    client.force_login(anna)
    assert client.get(reverse("events:my_certificate", args=[participation.pk])).status_code == 404
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, reason="ещё раз")


def test_certificate_is_not_valid_while_attendance_is_taken_back(client, anna):
    participation = _attended(_held_event(), staff_record(anna))
    certificate = certificate_issue(participation=participation)
    attendance_unmark(participations=Participation.objects.filter(pk=participation.pk))

    content = client.get(_verify_url(certificate)).content.decode()
    assert "alert-danger" in content and "alert-success" not in content

    attendance_mark(participations=Participation.objects.filter(pk=participation.pk), attended=True)
    assert "alert-success" in client.get(_verify_url(certificate)).content.decode()
    assert certificate_issue(participation=participation).number == certificate.number


def test_senior_educator_revokes_from_the_admin(client, anna, senior):
    certificate = certificate_issue(participation=_attended(_held_event(), staff_record(anna)))
    client.force_login(senior)
    url = reverse("admin:events_eventcertificate_changelist")
    data = {"action": "revoke", "_selected_action": [certificate.pk]}

    page = client.post(url, data)
    assert page.status_code == 200 and certificate.number in page.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    client.post(url, {**data, "apply": "1", "reason": "Сертификат выдан по ошибке"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_reason == "Сертификат выдан по ошибке"


# ---------------------------------------------------------------- external participants


def test_external_participant_downloads_by_the_secret_address(client):
    event = _held_event(is_open=True)
    external = ExternalParticipantFactory(
        event=event, full_name="Петрова Мария Ивановна", organization="МБДОУ № 15", attended=True
    )
    certificate = certificate_issue(external_participant=external)

    text = _text(_pdf(client.get(reverse("events:external_certificate", args=[certificate.token]))))

    assert "Петрова Мария Ивановна" in text
    assert "подтверждает участие" in text
    assert "в качестве слушателя" in text
    assert f"№ {certificate.number}" in text
    assert len(certificate.token) >= 40
    assert client.get(reverse("events:external_certificate", args=["guessed-token"])).status_code == 404
    verification = client.get(_verify_url(certificate)).content.decode()
    assert "Петрова М.И." in verification and "Мария" not in verification

    certificate_revoke(certificate=certificate, reason="Не присутствовала")
    assert client.get(reverse("events:external_certificate", args=[certificate.token])).status_code == 404


def test_external_participant_not_marked_attended_gets_no_certificate():
    external = ExternalParticipantFactory(event=_held_event(is_open=True))
    with pytest.raises(ValidationError):
        certificate_issue(external_participant=external)


# ---------------------------------------------------------------- the event's bundle


def test_senior_educator_downloads_all_certificates_of_the_event_as_one_pdf(client, anna, boris, senior):
    event = _held_event(is_open=True)
    _attended(event, staff_record(anna))
    _attended(event, staff_record(boris), role=ParticipationRole.ORGANIZER)
    _attended(event, EmployeeFactory(surname="Васильева"))
    ParticipationFactory(event=event, teacher=EmployeeFactory(surname="Неявкина"))  # signed up, did not come
    ExternalParticipantFactory(event=event, full_name="Гостева Анна Павловна", attended=True)
    ExternalParticipantFactory(event=event, full_name="Непришедшая Ольга")
    client.force_login(senior)
    url = reverse("admin:events_event_certificates", args=[event.pk])

    reader = _pdf(client.get(url))

    assert len(reader.pages) == 4
    names = [
        re.search(r"(Антонова|Борисова|Васильева|Гостева)", page.extract_text()).group(1)
        for page in reader.pages
    ]
    assert names == ["Антонова", "Борисова", "Васильева", "Гостева"]
    text = _text(reader)
    assert "Неявкина" not in text and "Непришедшая" not in text
    assert "в качестве организатора" in text
    numbers = sorted(EventCertificate.objects.values_list("number", flat=True))
    assert len(numbers) == 4
    assert all(f"№ {number}" in text for number in numbers)

    # Printing again issues nothing new: the same numbers.
    again = _text(_pdf(client.get(url)))
    assert sorted(EventCertificate.objects.values_list("number", flat=True)) == numbers
    assert all(f"№ {number}" in again for number in numbers)


def test_bundle_leaves_out_revoked_certificates(anna, boris):
    event = _held_event()
    certificate_revoke(
        certificate=certificate_issue(participation=_attended(event, staff_record(anna))), reason="ошибка"
    )
    _attended(event, staff_record(boris))
    assert [c.participation.teacher for c in event_certificates_issue(event=event)] == [staff_record(boris)]


def test_bundle_without_attendance_goes_back_to_the_event(client, senior):
    event = _held_event()
    client.force_login(senior)
    response = client.get(reverse("admin:events_event_certificates", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:events_event_change", args=[event.pk])


def test_head_cannot_issue_the_bundle(client, head):
    client.force_login(head)
    assert client.get(reverse("admin:events_event_certificates", args=[_held_event().pk])).status_code == 403


def test_event_admin_page_links_sign_in_sheet_and_certificates(client, senior):
    event = _held_event()
    client.force_login(senior)
    content = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert reverse("admin:events_event_sign_in_sheet", args=[event.pk]) in content
    assert reverse("admin:events_event_certificates", args=[event.pk]) in content


# ---------------------------------------------------------------- sign-in sheet


def test_sign_in_sheet_lists_teachers_and_registrants_with_blank_rows(client, anna, boris, senior):
    start = timezone.make_aware(datetime.datetime(2026, 12, 10, 14, 30))
    event = EventFactory(
        title="Мастер-класс «Нетрадиционное рисование»",
        start=start,
        end=start + datetime.timedelta(hours=1, minutes=30),
        place="Детский сад № 12, музыкальный зал",
        is_open=True,
    )
    ParticipationFactory(event=event, teacher=staff_record(anna))
    ParticipationFactory(event=event, teacher=staff_record(boris), status=ParticipationStatus.WAITING)
    ExternalParticipantFactory(
        event=event,
        full_name="Петрова Мария Ивановна",
        organization="МБДОУ № 15",
        position="музыкальный руководитель",
    )
    client.force_login(senior)

    reader = _pdf(client.get(reverse("admin:events_event_sign_in_sheet", args=[event.pk])))

    text = _text(reader)
    assert "ЛИСТ РЕГИСТРАЦИИ" in text
    assert "«Мастер-класс „Нетрадиционное рисование“»" in text  # no nested «» «»
    assert "10 декабря 2026 г., 14:30–16:00" in text
    assert "Детский сад № 12, музыкальный зал" in text
    assert "Подпись" in text
    assert "Антонова Мария Ивановна" in text
    assert "Борисова" not in text  # on the waiting list: she holds no place
    assert "Петрова Мария Ивановна" in text
    assert "МБДОУ № 15, музыкальный руководитель" in text
    # Two registered, then ten blank rows numbered 3..12.
    assert re.search(r"\b12\b", text) and not re.search(r"\b13\b", text.split("Подпись", 1)[1])


def test_sign_in_sheet_runs_over_pages_for_a_large_event(client, senior):
    event = EventFactory(capacity=80)
    for n in range(60):
        ParticipationFactory(event=event, teacher=EmployeeFactory(surname=f"Педагог{n:02d}"))
    client.force_login(senior)
    reader = _pdf(client.get(reverse("admin:events_event_sign_in_sheet", args=[event.pk])))
    assert len(reader.pages) >= 2
    text = _text(reader)
    assert all(f"Педагог{n:02d}" in text for n in range(60))


# ---------------------------------------------------------------- end to end, on a phone


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_teacher_downloads_her_certificate_on_a_phone_and_its_qr_opens_the_check(page, live_server, anna):
    _attended(_held_event(), staff_record(anna), role=ParticipationRole.SPEAKER)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/events/my/")
    # The event was in the last academic year: she picks it in the year switch (sent on change).
    year = AcademicYear.of(timezone.localdate(START)).label
    page.select_option("#past select[name=year]", year)
    page.wait_for_url(f"**/events/my/?year={year.replace('/', '%2F')}#past")
    link = page.locator("#past .certificate-link")
    assert link.is_visible()
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    [barcode] = zxingcpp.read_barcodes(reader.pages[0].images[0].image.convert("L"))

    page.goto(barcode.text)
    assert page.locator("#certificate-holder").inner_text() == "Антонова М.И."
    assert page.locator("#certificate-event").inner_text() == TITLE
    assert page.locator("#certificate-date").inner_text() == "15.05.2026"
