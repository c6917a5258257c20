"""Printed documents of events as PDF (fpdf2): sign-in sheets and attendance certificates.

They are Russian documents: the wording is written here in Russian, not through the catalogue,
because it follows grammatical gender (приняла / принял), which English msgids cannot carry —
as the e-mail templates are written in Russian directly. Choice labels (level, format, position)
come from the catalogue with Russian switched on. The font is the vendored DejaVu
(static/vendor/dejavu), so the PDFs need nothing from the system.
"""

import io

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kindergarten_portal.files.media import NO_STORE
from kindergarten_portal.typography import inner_quotes
from staff.models import Sex

from .models import ParticipationRole

FONT = "DejaVu"
FONT_FILES = {"": "vendor/dejavu/DejaVuSans.ttf", "B": "vendor/dejavu/DejaVuSans-Bold.ttf"}
# Rows left blank at the end of a sign-in sheet for those who come without signing up.
WALK_IN_ROWS = 10

# The role in the genitive after «в качестве»: (female, male, either). Nouns such as «слушателя»
# read right for both; participles used as nouns (выступающей / выступающего) agree, so a person
# of unknown sex gets a noun instead.
ROLE_WORDS = {
    ParticipationRole.LISTENER: ("слушателя", "слушателя", "слушателя"),
    ParticipationRole.SPEAKER: ("выступающей", "выступающего", "докладчика"),
    ParticipationRole.ORGANIZER: ("организатора", "организатора", "организатора"),
    ParticipationRole.OPEN_SHOW_PRESENTER: (
        "ведущей открытого показа",
        "ведущего открытого показа",
        "автора открытого показа",
    ),
    ParticipationRole.JURY: ("члена жюри", "члена жюри", "члена жюри"),
}


def certificate_wording(*, sex, role):
    """(the line before the name, the line after it, the role) of a certificate's sentence.

    A woman «приняла участие», a man «принял участие»; when the sex is not on record (and for
    external participants) the sentence is built without a verb: «подтверждает участие».
    """
    female, male, either = ROLE_WORDS[role]
    if sex == Sex.FEMALE:
        return "Настоящий сертификат подтверждает, что", "приняла участие в мероприятии", female
    if sex == Sex.MALE:
        return "Настоящий сертификат подтверждает, что", "принял участие в мероприятии", male
    return "Настоящий сертификат подтверждает участие", "в мероприятии", either


def initials_and_surname(full_name):
    """«Антонова Мария Ивановна» → «Антонова М.И.»: all the verification page shows of a person."""
    surname, *rest = full_name.split() or [""]
    return f"{surname} {''.join(f'{part[0]}.' for part in rest)}".strip()


def verification_path(certificate):
    return reverse("events:certificate_verify", args=[certificate.number, certificate.check_code])


def absolute_url(request, path):
    """PORTAL_BASE_URL when set (the address printed must not depend on who printed it), else the host
    of the request."""
    if settings.PORTAL_BASE_URL:
        return settings.PORTAL_BASE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def pdf_response(content, filename):
    """A PDF shown in the browser (a phone opens it in its viewer), saved under `filename`. A
    certificate names its holder: kept by no proxy or shared browser, even when reached by its
    secret address without signing in."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = NO_STORE
    return response


def certificate_qr_png(url) -> bytes:
    """The QR code of the verification address as a PNG: the image the certificate embeds."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


def _event_dates(event):
    start, end = timezone.localtime(event.start), timezone.localtime(event.finish)
    if start.date() == end.date():
        return date_filter(start, "j E Y") + " г."
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def _hours(event):
    """The event's length as given (Event.length_hours), e.g. «1,5 ч.»; "" when none was given."""
    hours = event.length_hours
    if hours is None:
        return ""
    return f"{hours.normalize():f}".replace(".", ",") + " ч."


def _new_pdf(orientation, creator):
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, finders.find(name))
    pdf.set_creator(creator)
    return pdf


def _line(pdf, text, size, style="", height=None, align="C"):
    pdf.set_font(FONT, style, size)
    height = height or size * 0.5
    if pdf.get_string_width(text) <= pdf.epw:  # one line: cell() skips the line breaking, 5x faster
        pdf.cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.multi_cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


# ---------------------------------------------------------------- certificates


def _holder(certificate):
    """(full name, sex, role) of the person a certificate is issued to."""
    if certificate.participation_id:
        participation = certificate.participation
        teacher = participation.teacher
        return teacher.full_name, teacher.sex, participation.role
    return certificate.external_participant.full_name, "", ParticipationRole.LISTENER


def certificate_event(certificate):
    holder = certificate.participation or certificate.external_participant
    return holder.event


def certificate_holder_short(certificate):
    """Initials and surname of the holder (the verification page)."""
    if certificate.participation_id:
        return certificate.participation.teacher.short_name
    return initials_and_surname(certificate.external_participant.full_name)


def _certificate_page(pdf, certificate, url):
    full_name, sex, role = _holder(certificate)
    event = certificate_event(certificate)
    issuer = certificate.issued_by  # the kindergarten that held the event
    lead, predicate, role_words = certificate_wording(sex=sex, role=role)
    pdf.add_page()
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(18)
    _line(pdf, issuer.name, 11)
    pdf.ln(6)
    _line(pdf, "СЕРТИФИКАТ УЧАСТНИКА", 28, "B", 14)
    _line(pdf, f"№ {certificate.number}", 12)
    pdf.ln(6)
    _line(pdf, lead, 13)
    pdf.ln(2)
    _line(pdf, full_name, 22, "B", 11)
    pdf.ln(2)
    _line(pdf, predicate, 13)
    _line(pdf, f"«{inner_quotes(event.title)}»", 15, "B", 8)
    _line(pdf, f"в качестве {role_words}", 13)
    pdf.ln(4)
    facts = [f"Дата проведения: {_event_dates(event)}"]
    if _hours(event):
        facts.append(f"объём: {_hours(event)}")
    _line(pdf, ", ".join(facts), 12)
    _line(pdf, f"Формат: {event.get_format_display()}, уровень: {event.get_level_display()}", 12)
    _line(pdf, f"Организатор: {event.organizer.name}", 12)

    # The head's signature on the left, the QR code of the verification page on the right.
    bottom = pdf.h - 22
    qr_size = 34
    pdf.image(io.BytesIO(certificate_qr_png(url)), x=pdf.w - 18 - qr_size, y=bottom - qr_size, w=qr_size)
    pdf.set_font(FONT, "", 8)
    pdf.set_xy(pdf.w - 18 - 90, bottom + 1)
    pdf.cell(90, 4, url, align="R")
    pdf.set_font(FONT, "", 12)
    pdf.set_xy(22, bottom - 18)
    head = issuer.head_name or " " * 20
    pdf.cell(0, 6, f"Заведующий ____________________ {head}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(22)
    issued = timezone.localtime(certificate.issued_at)
    pdf.cell(0, 6, f"Дата выдачи: {issued:%d.%m.%Y}")


def certificates_pdf(certificates, *, request) -> bytes:
    """One PDF with a page per certificate (A4 landscape). The certificates come with their
    participation (teacher, event, organizer) or external participant (event, organizer) and issuing
    kindergarten loaded. Each names the kindergarten that held the event and its head, from its record."""
    with translation.override("ru"):
        pdf = _new_pdf("L", certificates[0].issued_by.name if certificates else "")
        pdf.set_margins(24, 18, 24)  # inside the frame
        pdf.set_auto_page_break(False)
        pdf.set_title("Сертификаты участника")
        for certificate in certificates:
            _certificate_page(pdf, certificate, absolute_url(request, verification_path(certificate)))
        return bytes(pdf.output())


# ---------------------------------------------------------------- sign-in sheet


def sign_in_sheet_pdf(*, event, participations, externals) -> bytes:
    """The sign-in sheet (лист регистрации) of an event, headed by the kindergarten that holds it:
    teachers signed up (each with her kindergarten, its record loaded) and external registrants with a
    column to sign, then WALK_IN_ROWS blank rows."""
    host = event.host
    with translation.override("ru"):
        pdf = _new_pdf("P", host.name)
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(True, margin=15)
        pdf.set_title(f"Лист регистрации — {event.title}")
        pdf.add_page()
        _line(pdf, host.name, 9)
        pdf.ln(3)
        _line(pdf, "ЛИСТ РЕГИСТРАЦИИ УЧАСТНИКОВ", 15, "B", 8)
        _line(pdf, f"«{inner_quotes(event.title)}»", 12, "B", 6)
        pdf.ln(2)
        start = timezone.localtime(event.start)
        when = f"{_event_dates(event)}, {start:%H:%M}"
        if event.end is not None:
            when += f"–{timezone.localtime(event.end):%H:%M}"
        _line(pdf, f"Дата и время: {when}", 10, align="L")
        _line(pdf, f"Место: {event.place or '—'}", 10, align="L")
        _line(
            pdf, f"Формат: {event.get_format_display()}; организатор: {event.organizer.name}", 10, align="L"
        )
        pdf.ln(3)
        pdf.set_font(FONT, "", 10)
        rows = [
            (
                p.teacher.full_name,
                ", ".join(filter(None, [str(p.teacher.organization), p.teacher.get_position_display()])),
            )
            for p in participations
        ]
        rows += [(e.full_name, f"{e.organization}, {e.position}") for e in externals]
        rows += [("", "")] * WALK_IN_ROWS
        with pdf.table(
            col_widths=(10, 62, 68, 40),
            text_align=("CENTER", "LEFT", "LEFT", "LEFT"),
            line_height=5,
            padding=(2, 1.5),
            first_row_as_headings=True,
        ) as table:
            heading = table.row()
            for label in ("№", "Фамилия, имя, отчество", "Организация, должность", "Подпись"):
                heading.cell(label)
            for n, (name, where) in enumerate(rows, start=1):
                row = table.row()
                row.cell(str(n))
                row.cell(name)
                row.cell(where)
                row.cell("")
        pdf.ln(8)
        _line(pdf, "Ответственный за регистрацию ____________________ / ____________________", 10, align="L")
        return bytes(pdf.output())
