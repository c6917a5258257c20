"""A dismissed teacher keeps her own attendance certificates: the signed link e-mailed when her
dismissal date is entered (or sent again by the office) opens them without signing in."""

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfReader

from events.access import CERTIFICATES_LINK_SALT, certificates_link_token
from events.models import EventCertificate, EventStatus, Participation, ParticipationStatus
from events.notifications import CERTIFICATES_LINK
from events.services import attendance_mark, certificate_issue, certificate_revoke
from kindergarten_portal.models import OutboxMessage
from staff.access import staff_record
from staff.importing import staff_import
from staff.models import Employee
from tests.events.factories import EventFactory, ParticipationFactory
from tests.factories import EmployeeFactory
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db

BASE = "https://portal.sad12.example"
TZ = timezone.get_current_timezone()
ENTERED = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=TZ)  # the office enters the dismissal
DISMISSAL = datetime.date(2026, 6, 30)  # her last working day
AFTER = datetime.datetime(2026, 7, 2, 12, 0, tzinfo=TZ)  # her pages are closed by then


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE


def _attended(teacher, title, day):
    start = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=TZ)
    event = EventFactory(
        title=title, start=start, end=start + datetime.timedelta(hours=2), status=EventStatus.HELD
    )
    return ParticipationFactory(event=event, teacher=teacher, status=ParticipationStatus.ATTENDED)


def _dismiss(employee, day=DISMISSAL):
    employee.dismissal_date = day
    employee.save()


def _links():
    return OutboxMessage.objects.filter(kind=CERTIFICATES_LINK)


def _link_after(time_machine, teacher, title="Семинар", day=datetime.date(2026, 3, 12)):
    """She attended an event, then the office entered her dismissal date: (her participation, the
    path of the link mailed to her)."""
    time_machine.move_to(ENTERED)
    participation = _attended(teacher, title, day)
    _dismiss(teacher)
    return participation, _path(_links().get())


def _path(message):
    """The link of a queued message, as a path for the test client; it must be absolute."""
    url = re.search(rf"{re.escape(BASE)}(/\S+)", message.body)
    assert url, message.body
    return url.group(1)


def test_entering_her_dismissal_date_queues_one_mail_with_her_link(client, anna, time_machine):
    time_machine.move_to(ENTERED)
    teacher = staff_record(anna)
    _attended(teacher, "Семинар «Игра»", datetime.date(2026, 3, 12))

    _dismiss(teacher)
    teacher.phone = "+7 900 000-00-00"
    teacher.save()  # saving her record again sends nothing more
    _dismiss(teacher)

    (message,) = _links()
    assert message.recipient == "anna@example.org"  # her account's address, her record has none
    path = _path(message)
    assert path == reverse("events:teacher_certificates", args=[certificates_link_token(teacher)])
    send_queued()
    (sent,) = mail.outbox
    assert sent.subject == "Ваши сертификаты участника мероприятий"
    assert "Дата вашего увольнения — 30.06.2026" in sent.body
    assert BASE + path in sent.body
    page = client.get(path)
    assert page.status_code == 200
    assert "Семинар «Игра»" in page.content.decode()


def test_no_mail_without_a_certificate_or_an_address(anna):
    no_events = EmployeeFactory(email="olga@example.org")
    _attended(no_events, "Отменённое участие", datetime.date(2026, 3, 12)).delete()
    revoked_only = EmployeeFactory(email="vera@example.org")
    certificate_revoke(
        certificate=certificate_issue(
            participation=_attended(revoked_only, "Семинар", datetime.date(2026, 3, 12))
        ),
        reason="отмечена по ошибке",
    )
    no_address = EmployeeFactory()
    _attended(no_address, "Семинар", datetime.date(2026, 3, 13))
    absent = EmployeeFactory(email="nina@example.org")
    ParticipationFactory(
        event=EventFactory(title="Не пришла"), teacher=absent, status=ParticipationStatus.ABSENT
    )

    for employee in (no_events, revoked_only, no_address, absent):
        _dismiss(employee)

    assert not _links().exists()


def test_the_link_opens_after_her_dismissal_while_her_own_pages_do_not(client, anna, time_machine):
    teacher = staff_record(anna)
    participation, path = _link_after(
        time_machine, teacher, "Мастер-класс «Сенсорика»", datetime.date(2026, 4, 8)
    )

    time_machine.move_to(AFTER)
    client.force_login(anna)
    assert client.get(reverse("events:my")).status_code == 403
    assert client.get(reverse("events:my_certificate", args=[participation.pk])).status_code == 403
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    html = page.content.decode()
    certificate = EventCertificate.objects.get(participation=participation)  # issued for the page
    assert "Мастер-класс «Сенсорика»" in html
    assert "08.04.2026" in html
    assert f"Сертификат № {certificate.number}" in html
    assert teacher.full_name in html

    download = reverse("events:teacher_certificate", args=[path.split("/")[-2], certificate.pk])
    assert download in html
    pdf = client.get(download)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "private, no-store"
    assert pdf["X-Robots-Tag"] == "noindex, nofollow"
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert certificate.number in text


def test_certificates_issued_after_her_dismissal_are_on_the_page(client, anna, time_machine):
    teacher = staff_record(anna)
    _participation, path = _link_after(time_machine, teacher, "Семинар до увольнения")

    time_machine.move_to(AFTER)
    # An event of her last week, its attendance marked only after she left.
    start = datetime.datetime(2026, 6, 25, 10, 0, tzinfo=TZ)
    late = ParticipationFactory(
        event=EventFactory(title="Круглый стол в июне", start=start, status=EventStatus.HELD), teacher=teacher
    )
    attendance_mark(participations=Participation.objects.filter(pk=late.pk), attended=True)

    html = client.get(path).content.decode()
    certificate = EventCertificate.objects.get(participation=late)
    assert "Круглый стол в июне" in html
    assert f"Сертификат № {certificate.number}" in html
    # the latest event first
    assert html.index("Круглый стол в июне") < html.index("Семинар до увольнения")


def test_a_revoked_certificate_is_shown_revoked_and_not_downloadable(client, anna, time_machine):
    time_machine.move_to(ENTERED)
    teacher = staff_record(anna)
    kept = _attended(teacher, "Семинар", datetime.date(2026, 3, 12))
    revoked = certificate_issue(participation=_attended(teacher, "Отозванный", datetime.date(2026, 3, 19)))
    certificate_revoke(certificate=revoked, reason="отмечена по ошибке", now=ENTERED)
    _dismiss(teacher)
    path = _path(_links().get())
    token = path.split("/")[-2]

    html = client.get(path).content.decode()
    assert "Отозванный" in html
    assert "отозван 10.06.2026" in html
    assert reverse("events:teacher_certificate", args=[token, revoked.pk]) not in html
    assert client.get(reverse("events:teacher_certificate", args=[token, revoked.pk])).status_code == 404
    kept_certificate = EventCertificate.objects.get(participation=kept)
    assert (
        client.get(reverse("events:teacher_certificate", args=[token, kept_certificate.pk])).status_code
        == 200
    )


def test_another_teachers_certificates_never_appear(client, anna, boris, time_machine):
    time_machine.move_to(ENTERED)
    _attended(staff_record(anna), "Семинар Анны", datetime.date(2026, 3, 12))
    boris_certificate = certificate_issue(
        participation=_attended(staff_record(boris), "Семинар Бориса", datetime.date(2026, 3, 12))
    )
    _dismiss(staff_record(anna))
    path = _path(_links().get())
    token = path.split("/")[-2]

    html = client.get(path).content.decode()
    assert "Семинар Анны" in html
    assert "Семинар Бориса" not in html
    assert boris_certificate.number not in html
    response = client.get(reverse("events:teacher_certificate", args=[token, boris_certificate.pk]))
    assert response.status_code == 404


def test_a_tampered_or_unknown_token_is_a_clear_404(client, anna, time_machine):
    time_machine.move_to(ENTERED)
    teacher = staff_record(anna)
    certificate = certificate_issue(participation=_attended(teacher, "Семинар", datetime.date(2026, 3, 12)))
    _dismiss(teacher)
    token = certificates_link_token(teacher)
    # The same signature over another teacher's record; the signature changed; a deleted record.
    boris_payload = token.replace(
        signing.dumps([teacher.pk, "2026-06-30"], salt=CERTIFICATES_LINK_SALT).split(":")[0],
        signing.dumps([teacher.pk + 1, "2026-06-30"], salt=CERTIFICATES_LINK_SALT).split(":")[0],
    )
    forged_signature = token[:-1] + ("A" if token[-1] != "A" else "B")
    unsalted = signing.dumps([teacher.pk, "2026-06-30"])
    gone = signing.dumps([teacher.pk + 1000, "2026-06-30"], salt=CERTIFICATES_LINK_SALT)
    for bad in (boris_payload, forged_signature, unsalted, gone, "not-a-token"):
        page = client.get(reverse("events:teacher_certificates", args=[bad]))
        assert page.status_code == 404, bad
        assert "Ссылка не действует" in page.content.decode()
        assert page["Cache-Control"] == "private, no-store"
        pdf = client.get(reverse("events:teacher_certificate", args=[bad, certificate.pk]))
        assert pdf.status_code == 404
    assert client.get(reverse("events:teacher_certificates", args=[token])).status_code == 200


def test_a_corrected_dismissal_date_sends_a_new_link_and_the_old_one_stops(client, anna, time_machine):
    teacher = staff_record(anna)
    _participation, old = _link_after(time_machine, teacher)

    _dismiss(teacher, datetime.date(2026, 7, 15))

    assert _links().count() == 2
    new = _path(_links().latest("pk"))
    assert "15.07.2026" in _links().latest("pk").body
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    # taken back: no dismissal, no link (she signs in again)
    teacher.dismissal_date = None
    teacher.save()
    assert client.get(new).status_code == 404
    assert _links().count() == 2


def test_the_page_reads_in_the_same_queries_at_one_certificate_and_many(
    client, anna, time_machine, django_assert_num_queries
):
    teacher = staff_record(anna)
    _participation, path = _link_after(time_machine, teacher, "Первый семинар", datetime.date(2026, 3, 2))
    client.get(path)  # her certificates are issued on the first visit
    with django_assert_num_queries(3):
        html = client.get(path).content.decode()
    assert html.count("certificate-download") == 1

    for day in range(3, 10):
        certificate_issue(participation=_attended(teacher, f"Семинар {day}", datetime.date(2026, 3, day)))
    revoked = certificate_issue(participation=_attended(teacher, "Отозванный", datetime.date(2026, 3, 20)))
    certificate_revoke(certificate=revoked, reason="ошибка")
    with django_assert_num_queries(3):
        html = client.get(path).content.decode()
    assert html.count("certificate-download") == 8
    assert html.count("certificate-revoked") == 1


def test_the_office_sends_the_link_again_from_the_staff_list(client, anna, boris, senior, head, time_machine):
    teacher = staff_record(anna)
    _link_after(time_machine, teacher)
    time_machine.move_to(AFTER)
    # She lost the mail and gives a new address.
    Employee.objects.filter(pk=teacher.pk).update(email="anna.new@example.org")
    _attended(staff_record(boris), "Семинар", datetime.date(2026, 3, 12))  # not dismissed: no link
    # Dismissed staff leave the everyday list: the office shows them with the filter.
    changelist = reverse("admin:staff_employee_changelist") + "?employment=all"
    data = {"action": "send_certificates_link", "_selected_action": [teacher.pk, staff_record(boris).pk]}

    client.force_login(head)  # reads the staff, changes nothing
    client.post(changelist, data)
    assert _links().count() == 1

    client.force_login(senior)
    assert "send_certificates_link" in client.get(changelist).content.decode()
    response = client.post(changelist, data, follow=True)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Ссылка на сертификаты поставлена в очередь: 1 письмо — {teacher.short_name} (anna.new@example.org).",
        f"Не отправлено: 1 педагог — {staff_record(boris).short_name} (нет даты увольнения).",
    ]
    again = _links().latest("pk")
    assert _links().count() == 2
    assert again.recipient == "anna.new@example.org"
    assert client.get(_path(again)).status_code == 200
    # each press queues it once more
    client.post(changelist, data)
    assert _links().count() == 3


def test_the_staff_import_of_a_dismissed_teacher_sends_her_link(anna):
    teacher = staff_record(anna)
    Employee.objects.filter(pk=teacher.pk).update(
        surname="Петрова", name="Ольга", patronymic="Ивановна", dismissal_date=DISMISSAL
    )
    _attended(teacher, "Семинар", datetime.date(2026, 3, 12))
    workbook = Workbook()
    workbook.active.append(["ФИО", "Должность", "Телефон"])
    workbook.active.append(["Петрова Ольга Ивановна", "воспитатель", "+7 900 000-00-01"])
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)

    result = staff_import(file=file, dry_run=False)

    assert result.updated == 1, [str(e) for e in result.errors]
    (message,) = _links()
    assert message.recipient == "anna@example.org"
