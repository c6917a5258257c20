"""Every workbook the portal hands out, as it prints: built through its own view with a kindergarten
of thirty teachers (long names, long event titles), rendered by LibreOffice to PDF and measured.

Run alone with `-m office`; needs `soffice` (see tests/paper.py).
"""

import datetime
import io
import re
import statistics
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.models import Event, EventFormat, Level
from kindergarten_portal.models import Organization
from kindergarten_portal.sheets.xlsx_out import MIN_PRINT_SCALE
from portfolios.models import ReportItem, Result
from reports.models import SelfReport
from staff.dates import add_months, add_years
from staff.models import Category, CategoryDecision, Employee
from tests.events.factories import EventFactory, OrganizationFactory
from tests.factories import EmployeeFactory, TrainingFactory
from tests.paper import FONT_FAMILY, LEFT_MARGIN, LEGIBLE_PT, cut_words, printed
from tests.reports.factories import entry

pytestmark = pytest.mark.office

# Ten more teachers beside the demo's twenty, with the longest names a list meets.
LONG_NAMES = [
    ("Константинопольская", "Александра", "Вячеславовна"),
    ("Преображенская", "Евфросиния", "Ростиславовна"),
    ("Благовещенская", "Валентина", "Святославовна"),
    ("Вознесенская", "Антонина", "Всеволодовна"),
    ("Рождественская", "Елизавета", "Станиславовна"),
    ("Христорождественская", "Маргарита", "Владимировна"),
    ("Крестовоздвиженская", "Серафима", "Константиновна"),
    ("Богоявленская", "Владислава", "Мстиславовна"),
    ("Новопокровская", "Анастасия", "Вячеславовна"),
    ("Петропавловская", "Людмила", "Александровна"),
]
LONG_COURSE = (
    "Организация образовательной деятельности с детьми с ограниченными возможностями здоровья "
    "в условиях реализации ФОП ДО и ФАОП ДО"
)
LONG_EVENTS = [
    (
        "Региональная научно-практическая конференция «Современные подходы к организации "
        "развивающей предметно-пространственной среды в дошкольной образовательной организации»",
        EventFormat.CONFERENCE,
        Level.REGIONAL,
    ),
    (
        "Городской методический марафон «Формирование функциональной грамотности дошкольников "
        "средствами игровых технологий»",
        EventFormat.WORKSHOP,
        Level.MUNICIPAL,
    ),
    (
        "Взаимопосещение образовательной деятельности в группах компенсирующей направленности",
        EventFormat.MUTUAL_VISIT,
        Level.INSTITUTIONAL,
    ),
]


@pytest.fixture
def kindergarten(db):
    """The demo kindergarten, ten teachers more with long names (their attestation due within the
    calendar's year), long events next month, and a rating built over all thirty."""
    today = timezone.localdate()
    call_command("seed_demo", stdout=io.StringIO())
    for index, (surname, name, patronymic) in enumerate(LONG_NAMES):
        teacher = EmployeeFactory(
            surname=surname,
            name=name,
            patronymic=patronymic,
            experience_start=add_years(today, -3),
            hire_date=add_months(today, -20 - index),  # her conformity attestation is due within a year
            email=f"{surname.lower()[:12]}@sad-demo.ru",
            phone="+7 (912) 345-67-89",
        )
        if index % 2:  # a five-year category granted before 01.09.2023, ending within a year
            CategoryDecision.objects.create(
                employee=teacher,
                category=Category.FIRST,
                decision_date=add_months(today, -50 - index),
                order_number=f"{900 + index}-Д",
            )
        TrainingFactory(
            employee=teacher,
            programme=LONG_COURSE,
            start_date=add_months(today, -14),
            end_date=add_months(today, -13),
        )
        entry(teacher, ReportItem.COMPETITIONS, level=Level.REGIONAL, result=Result.WINNER, day=today)
    organizer = OrganizationFactory(
        name="Муниципальное автономное учреждение «Информационно-методический центр»"
    )
    start = timezone.make_aware(datetime.datetime.combine(add_months(today, 1), datetime.time(10)))
    for index, (title, event_format, level) in enumerate(LONG_EVENTS):
        EventFactory(
            title=title,
            format=event_format,
            level=level,
            organizer=organizer,
            start=start + datetime.timedelta(days=index),
            end=start + datetime.timedelta(days=index, hours=3),
            place="МАДОУ «Детский сад № 15 „Ромашка“», ул. Ленина, 5, музыкальный зал",
            online_link="https://sferum.ru/?call_link=Kx7Qm2",
            description="Опыт организации центров активности; практическая часть в группах",
            audience="воспитатели и специалисты групп компенсирующей направленности",
            capacity=25,
            responsible="Кузнецова Лариса Петровна, старший воспитатель",
        )
    call_command("build_rating", stdout=io.StringIO())
    return today


# Each workbook: who downloads it, from which URL (an admin list's, with the action run over all
# its rows, or her own self-report's), and how many A4 pages side by side its widest sheet may take:
# the import layouts' sixteen and more columns and the staff list of long words are split, the rest fit.
WORKBOOKS = {
    "staff": ("metodist", "admin:staff_employee_changelist", ("export_xlsx", Employee), 2),
    "attestation calendar": ("metodist", "admin:staff_employee_attestation_calendar_xlsx", None, 1),
    "self-evaluation": ("head", "staff:self_evaluation_xlsx", None, 1),
    "staff import template": ("metodist", "admin:staff_employee_import_template", None, 3),
    "plan": ("metodist", "admin:events_event_changelist", ("export_plan", Event), 2),
    "plan import template": ("metodist", "admin:events_event_import_template", None, 2),
    "rating": ("head", "reports:latest_workbook", None, 1),
    "self-report": ("anna", "reports:self_report_xlsx", SelfReport, 1),
}


def _download(client, username, url_name, what):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    if what is SelfReport:
        report = SelfReport.objects.filter(teacher__user=user).latest("pk")
        return client.get(reverse(url_name, args=[report.pk]))
    if what:
        action, model = what
        rows = list(model.objects.values_list("pk", flat=True))
        return client.post(reverse(url_name), {"action": action, "_selected_action": rows})
    return client.get(reverse(url_name))


def _sheets(content):
    """{sheet title: (its headers, its scale, its pages side by side, every word its cells hold, the
    text of its first column)}; the charts' words are counted in every sheet."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/charts/")]
    chart_words = {
        word for chart in charts for text in re.findall(r"<a:t>([^<]*)</a:t>", chart) for word in text.split()
    }
    book = load_workbook(io.BytesIO(content))
    sheets = {}
    for ws in book:
        rows = list(ws.iter_rows(values_only=True))
        words = {word for row in rows for value in row if isinstance(value, str) for word in value.split()}
        words |= chart_words | set(ws.title.split())
        words.update((ws.oddHeader.center.text or "").split())
        words.update((ws.oddFooter.center.text or "").split())  # whose workbook it is
        across = len(ws.col_breaks.brk) + 1
        first_column = [row[0] for row in rows if isinstance(row[0], str)]
        headers = [str(v) for v in rows[0] if v is not None]
        sheets[ws.title] = (headers, ws.page_setup.scale or 100, across, words, first_column)
    return sheets


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_workbook_prints_legibly(name, kindergarten, client, soffice, tmp_path):
    """Every page at a median of 8 pt or more (none smaller) in one font family, every sheet at 80%
    or more one A4 page wide, or split at its columns into as many pages side by side as its page
    set-up says, each with the first column; the header's every word printed whole across them, and
    no word cut or broken across lines."""
    username, url_name, what, most_across = WORKBOOKS[name]
    response = _download(client, username, url_name, what)
    assert response.status_code == 200, name
    content = response.getvalue()
    sheets = _sheets(content)
    pages = printed(soffice, content, tmp_path)
    by_sheet = {}
    for page in pages:
        (title,) = [text for text in page.footer if text in sheets]  # the footer names the sheet
        if "template" not in name:  # and whose it is (a blank import template is no one's)
            assert Organization.objects.own().name in page.footer, (name, page.footer)
        by_sheet.setdefault(title, []).append(page)
    assert list(by_sheet) == list(sheets)
    figures = []
    for title, sheet_pages in by_sheet.items():
        headers, scale, across, words, first_column = sheets[title]
        assert scale >= MIN_PRINT_SCALE, (title, scale)
        assert across <= most_across, (title, across)
        for number, page in enumerate(sheet_pages, start=1):
            heights = [run.height for run in page.runs for _char in run.text]
            median = statistics.median(heights)
            figures.append(median)
            assert median >= LEGIBLE_PT, (title, number, median)
            assert min(heights) >= LEGIBLE_PT - 0.01, (title, number, min(heights))
            assert {font.split("-")[0] for font in page.fonts} == {FONT_FAMILY}, (title, number, page.fonts)
            assert not cut_words(page, words), (title, number, cut_words(page, words))
            # Nothing starts left of the margin (the rest of a table or chart cut at the page's edge),
            # and every page begins with the first column (a line of its text starts one of the
            # page's lines): no column spilled onto a page of its own.
            assert min(run.x for run in page.runs) >= LEFT_MARGIN - 1, (title, number)
            starts = [run.text for run in page.runs if run.upright]
            assert any(value.startswith(text) for text in starts for value in first_column), (title, number)
            if title != "Категории":  # blocks with headers of their own follow its table
                # the header on every page
                assert headers[0] in " ".join(run.text for run in page.runs if run.bold), (title, number)
        # The header's every word printed whole on the first page, or the first pages side by side
        # (they are printed across, then down).
        bold = " ".join(run.text for page in sheet_pages[:across] for run in page.runs if run.bold).split()
        for word in " ".join(headers).split():
            assert word in bold, (title, word)
        print(f"{name} / {title}: {len(sheet_pages)} pages, {across} across, at {scale}%")
    print(f"{name}: median text {min(figures):.1f}–{max(figures):.1f} pt")
