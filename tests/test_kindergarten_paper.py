"""What a second kindergarten prints and publishes names it, not the portal's first: the month's plan
of its teacher, the certificates of its events (its name and head) and their check page, the sign-in
sheet (each teacher with her kindergarten), an unnamed participant in the published results, the
consent texts (the operator), and whether its own events are internal ones.

Our kindergarten (K1) is «№ 12» with its head Петрова; «Берёзка» (K2) has its head Рябова, its
teacher vera (who did not consent to her name in results) and its senior educator metodist2."""

import datetime
import html
import io
import re
import zipfile

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from events.models import EventCertificate, EventStatus, Participation
from events.services import attendance_mark, external_attendance_mark
from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from kindergarten_portal.models import OutboxMessage
from portfolios.forms import MiniSiteForm
from portfolios.models import MiniSite
from reports.services import rating_build
from staff.access import staff_record
from tests.events.factories import EventFactory, OrganizationFactory, ParticipationFactory, our_kindergarten
from tests.factories import UserFactory, teacher_user
from tests.reports.factories import current_year

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2026, 10, 15, 10, 0))
NOW = datetime.datetime(2026, 10, 20, 9, 0, tzinfo=datetime.UTC)
OURS = "МБДОУ «Детский сад № 12 „Солнышко“»"


def _pdf_text(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def paper(berezka, anna):
    """K1 named, K2 with its head, its teacher vera, its senior educator, an event it held (vera
    attended; its results published) and an open one coming."""
    our_kindergarten(OURS, head_name="Петрова А. А.")
    berezka.head_name = "Рябова Н. В."
    berezka.save()
    vera = teacher_user("vera", surname="Яковлева", organization=berezka)
    held = EventFactory(
        title="Семинар «Экологическая тропа»",
        start=START,
        end=START + datetime.timedelta(hours=2),
        status=EventStatus.HELD,
        host=berezka,
        organizer=berezka,
        results_published=True,
    )
    coming = EventFactory(
        title="Открытый показ в «Берёзке»",
        start=START + datetime.timedelta(days=30),
        end=START + datetime.timedelta(days=30, hours=1),
        host=berezka,
        organizer=berezka,
        is_open=True,
    )
    participation = ParticipationFactory(event=held, teacher=staff_record(vera))
    with time_machine.travel(NOW, tick=False):
        attendance_mark(participations=Participation.objects.filter(pk=participation.pk), attended=True)
    senior2 = UserFactory(username="metodist2", role=SENIOR_EDUCATOR, role__kindergarten=berezka)
    return {"vera": vera, "senior2": senior2, "held": held, "coming": coming, "participation": participation}


@time_machine.travel(NOW, tick=False)
def test_second_kindergartens_paper_names_it_and_its_head(client, paper):
    client.force_login(paper["vera"])
    plan = client.get(reverse("events:month_print", args=[2026, 10])).content.decode()
    assert "Берёзка" in plan and "№ 12" not in plan

    certificate = _pdf_text(client.get(reverse("events:my_certificate", args=[paper["participation"].pk])))
    assert "Детский сад № 7 «Берёзка»" in certificate and "Рябова Н. В." in certificate
    assert "№ 12" not in certificate and "Петрова" not in certificate

    client.force_login(paper["senior2"])
    sheet = _pdf_text(client.get(reverse("admin:events_event_sign_in_sheet", args=[paper["held"].pk])))
    assert "«Берёзка»" in sheet and "№ 12" not in sheet
    assert "Детский сад № 7, воспитатель" in sheet  # her kindergarten beside her name

    check = EventCertificate.objects.get(participation=paper["participation"])  # issued on her download
    client.logout()
    page = client.get(reverse("events:certificate_verify", args=[check.number, check.check_code]))
    assert 'id="certificate-issuer">МБДОУ «Детский сад № 7 «Берёзка»»</dd>' in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_an_unnamed_participant_is_of_her_own_kindergarten_in_the_results(client, paper):
    page = client.get(reverse("events:result_detail", args=[paper["held"].pk])).content.decode()
    assert "воспитатель МБДОУ «Детский сад № 7 «Берёзка»»" in page
    assert "Яковлева" not in page and "№ 12" not in page


@time_machine.travel(NOW, tick=False)
def test_consents_name_the_kindergarten_until_the_portal_has_an_operator(client, settings, paper):
    def registration():
        page = client.get(reverse("events:open_detail", args=[paper["coming"].pk])).content.decode()
        return page[page.index('id="registration-form"') :]

    def minisite():
        return str(
            MiniSiteForm(instance=MiniSite(teacher=staff_record(paper["vera"]))).fields["consent"].label
        )

    settings.PERSONAL_DATA_OPERATOR = ""
    for text in (registration(), minisite()):
        assert "Берёзка" in text and "№ 12" not in text
    assert 'id="entrusted"' not in client.get(reverse("privacy")).content.decode()

    settings.PERSONAL_DATA_OPERATOR = "МКУ «Информационно-методический центр»"
    privacy = client.get(reverse("privacy")).content.decode()
    for text in (registration(), minisite(), privacy):
        assert "Информационно-методический центр" in text and "Берёзка" not in text and "№ 12" not in text
    assert (
        "поручает ему обработку персональных данных своих сотрудников по договору (ч. 3 ст. 6 152-ФЗ)"
        in privacy
    )


@time_machine.travel(NOW, tick=False)
def test_its_own_events_are_internal_and_a_partners_external(client, berezka, paper):
    assert not paper["held"].is_external
    paper["participation"].refresh_from_db()
    assert paper["participation"].sharing_due is None  # nothing to share from one's own kindergarten

    partners = EventFactory(
        start=START, host=berezka, organizer=OrganizationFactory(name="Детская библиотека № 3")
    )
    theirs = ParticipationFactory(event=partners, teacher=staff_record(paper["vera"]))
    attendance_mark(participations=Participation.objects.filter(pk=theirs.pk), attended=True)
    theirs.refresh_from_db()
    assert partners.is_external and theirs.sharing_due == datetime.date(2026, 11, 14)

    client.force_login(paper["senior2"])
    changelist = reverse("admin:events_event_changelist")
    internal = client.get(changelist, {"internal": "yes"}).context["cl"].result_list
    external = client.get(changelist, {"internal": "no"}).context["cl"].result_list
    assert set(internal) == {paper["held"], paper["coming"]} and list(external) == [partners]


def _whose(content):
    """Whose a workbook says it is: its properties' company, and each sheet's printed foot (centre)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        company = re.search(r"<Company>(.*?)</Company>", archive.read("docProps/app.xml").decode())
    feet = {ws.title: ws.oddFooter.center.text for ws in load_workbook(io.BytesIO(content)).worksheets}
    return (html.unescape(company.group(1)) if company else None), feet


@time_machine.travel(NOW, tick=False)
def test_its_workbooks_say_whose_they_are(client, berezka, paper):
    """A head forwards them upward, one of a city's: each names its kindergarten on every printed page."""
    client.force_login(paper["senior2"])
    plan = client.get(reverse("events:month_xlsx", args=[2026, 10])).content
    staff = client.post(
        reverse("admin:staff_employee_changelist"),
        {"action": "export_xlsx", "_selected_action": [staff_record(paper["vera"]).pk]},
    ).content
    build = rating_build(year=current_year(), by=paper["senior2"], organization=berezka)
    rating = build.workbook.read()
    for content in (plan, staff, rating):
        company, feet = _whose(content)
        assert company == berezka.name
        assert feet and all(foot == berezka.name for foot in feet.values()), feet


@time_machine.travel(NOW, tick=False)
def test_a_partners_mails_name_the_kindergarten_holding_the_event(client, paper):
    """A colleague from outside registers for «Берёзка»'s open event and later gets her certificate:
    both mails say who holds it."""
    page = reverse("events:open_detail", args=[paper["coming"].pk])
    client.post(
        page,
        {
            "full_name": "Смирнова Ольга Ивановна",
            "organization": "МБДОУ № 15",
            "position": "воспитатель",
            "email": "olga@example.org",
            "consent": "on",
        },
    )
    registered = OutboxMessage.objects.get(kind="events.registration")
    assert "Проводит: МБДОУ «Детский сад № 7 «Берёзка»»" in registered.body and "№ 12" not in registered.body

    external = paper["coming"].external_participants.get()
    with time_machine.travel(paper["coming"].start + datetime.timedelta(hours=1), tick=False):
        external_attendance_mark(externals=[external])
    sent = OutboxMessage.objects.get(kind="events.external_certificate")
    assert "кем выдан: МБДОУ «Детский сад № 7 «Берёзка»»" in sent.body and "№ 12" not in sent.body
