"""The month's plan to print: its content, its queries, who opens it, and one A4 page for ten events."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events.models import EventFormat, EventStatus, Level
from staff.access import staff_record
from tests.browser_steps import assert_accessible
from tests.events.factories import EventFactory, OrganizationFactory, ParticipationFactory, our_kindergarten
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db  # the autouse cache clearing reads the database cache

URL = "/events/2026/12/print/"


def _december(day, hour=10, **fields):
    start = timezone.make_aware(datetime.datetime(2026, 12, day, hour, 0))
    return EventFactory(start=start, end=start + datetime.timedelta(hours=1, minutes=30), **fields)


def test_print_page_shows_every_column_of_the_plan(client, anna, settings):
    our_kindergarten("МБДОУ «Детский сад № 12 „Солнышко“»")
    event = _december(
        10,
        hour=14,
        title="Мастер-класс «Нетрадиционное рисование»",
        format=EventFormat.MASTER_CLASS,
        level=Level.REGIONAL,
        organizer=OrganizationFactory(name="ИМЦ Кировского района"),
        place="Детский сад № 5, музыкальный зал",
        capacity=20,
    )
    for _n in range(3):
        ParticipationFactory(event=event)
    _december(11, title="Вебинар без ограничения мест")
    _december(12, title="Черновик плана", status=EventStatus.DRAFT)
    EventFactory(title="Ноябрьский семинар", start=timezone.make_aware(datetime.datetime(2026, 11, 30, 10)))
    client.force_login(anna)

    response = client.get(reverse("events:month_print", args=[2026, 12]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "МБДОУ «Детский сад № 12 „Солнышко“»" in content
    row = content.split("Мастер-класс «Нетрадиционное рисование»")[0].rsplit("<tr", 1)[1]
    row += content.split("Мастер-класс «Нетрадиционное рисование»")[1].split("</tr>")[0]
    assert "10.12" in row
    assert "четверг" in row  # lower case
    assert "14:00–15:30" in row
    assert "Детский сад № 5, музыкальный зал" in row
    assert "ИМЦ Кировского района" in row
    assert "17 / 20" in row
    assert [str(e) for e in response.context["events"]] == [
        "Мастер-класс «Нетрадиционное рисование» (10.12.2026)",
        "Вебинар без ограничения мест (11.12.2026)",
    ]
    assert "Черновик плана" not in content and "Ноябрьский семинар" not in content
    # No navigation, filters or forms: the print page stands alone.
    assert "navbar" not in content and "<form" not in content


def test_print_page_shows_format_and_level_labels(client, anna):
    event = _december(10, format=EventFormat.MASTER_CLASS, level=Level.REGIONAL)
    client.force_login(anna)
    content = client.get(URL).content.decode()
    assert str(event.get_format_display()) in content
    assert str(event.get_level_display()) in content


def test_an_event_without_an_end_shows_its_start_alone(client, anna):
    start = timezone.make_aware(datetime.datetime(2026, 12, 9, 10, 0))
    EventFactory(title="Вебинар ИМЦ без окончания", start=start, end=None)
    client.force_login(anna)
    content = client.get(URL).content.decode()
    row = content.split("Вебинар ИМЦ без окончания")[0].rsplit("<tr", 1)[1]
    assert '<td class="time">10:00</td>' in row


def test_print_page_query_count_is_constant(client, anna, django_assert_num_queries):
    client.force_login(anna)
    _december(1, capacity=5)
    client.get(URL)
    # the same queries at 1 and 11 events, one of them our kindergarten's name
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert len(response.context["events"]) == 1
    for day in range(2, 12):
        event = _december(day, capacity=5, organizer=OrganizationFactory())
        ParticipationFactory(event=event)
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert len(response.context["events"]) == 11


def test_month_list_links_the_print_page(client, anna):
    client.force_login(anna)
    assert URL in client.get("/events/2026/12/").content.decode()


def test_former_teacher_does_not_open_the_print_page(client, anna):
    staff_record(anna).dismissal_date = datetime.date(2026, 1, 31)
    staff_record(anna).save()
    client.force_login(anna)
    assert client.get(URL).status_code == 403  # the one policy for dismissed staff (staff.access)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ten_events_print_on_one_a4_page(page, live_server, anna):
    titles = [
        "Семинар-практикум «Игра как форма организации детской жизни в условиях ФГОС ДО»",
        "Мастер-класс «Нетрадиционные техники рисования с детьми старшего дошкольного возраста»",
        "Открытый показ НОД по речевому развитию в подготовительной группе",
        "Круглый стол «Взаимодействие с семьями воспитанников»",
        "Вебинар «Цифровые образовательные ресурсы в работе воспитателя»",
        "Педагогический аукцион методических идей",
        "Консультация для молодых педагогов: планирование образовательной деятельности",
        "Городская конференция «Инклюзивное образование: опыт и перспективы»",
        "Тренинг профилактики профессионального выгорания",
        "Фестиваль педагогических идей «Творческий воспитатель»",
    ]
    organizer = OrganizationFactory(name="Информационно-методический центр Кировского района")
    for day, title in enumerate(titles, start=1):
        _december(
            day * 2,
            title=title,
            organizer=organizer,
            place="МБДОУ «Детский сад № 15 комбинированного вида», музыкальный зал",
            capacity=25,
        )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{URL}")
    assert page.locator(".event-row").count() == 10
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()

    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (297, 210)
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Фестиваль педагогических идей «Творческий воспитатель»" in text


def test_print_page_for_the_office(client, head, senior):
    _december(3, title="Семинар для всех")
    for user in (head, senior):
        client.force_login(user)
        assert "Семинар для всех" in client.get(URL).content.decode()
