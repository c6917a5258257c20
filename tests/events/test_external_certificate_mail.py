"""An external participant marked attended gets her certificate's secret download link by e-mail,
once per certificate."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import EventCertificate, EventStatus
from events.services import certificate_revoke, event_certificates_issue, external_attendance_mark
from kindergarten_portal.models import OutboxMessage
from tests.events.factories import EventFactory, ExternalParticipantFactory
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2026, 10, 14, 10, 0))


def _held_event():
    return EventFactory(
        title="Сетевой семинар «Игра»",
        start=START,
        end=START + datetime.timedelta(hours=2),
        status=EventStatus.HELD,
        is_open=True,
    )


def _run():
    call_command("send_notifications", stdout=io.StringIO())
    call_command("send_mail_queue", stdout=io.StringIO())


def test_marked_attended_in_the_admin_she_gets_her_link_once(client, senior, settings):
    settings.PORTAL_BASE_URL = "https://portal.sad12.example"
    event = _held_event()
    came = ExternalParticipantFactory(event=event, full_name="Петрова Ольга", email="olga@ds15.example")
    ExternalParticipantFactory(event=event, email="missed@ds15.example")
    client.force_login(senior)
    changelist = reverse("admin:events_externalparticipant_changelist")
    client.post(changelist, {"action": "mark_attended", "_selected_action": [came.pk]})
    certificate = EventCertificate.objects.get()
    assert certificate.external_participant == came
    send_queued()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olga@ds15.example"]
    assert message.subject == "Сертификат участника: Сетевой семинар «Игра»"
    url = "https://portal.sad12.example" + reverse("events:external_certificate", args=[certificate.token])
    assert url in message.body
    assert f"№ {certificate.number}" in message.body
    assert "14.10.2026" in message.body
    # the link works
    assert client.get(url.removeprefix("https://portal.sad12.example"))["Content-Type"] == "application/pdf"

    client.post(changelist, {"action": "mark_attended", "_selected_action": [came.pk]})
    _run()
    _run()
    assert len(mail.outbox) == 1
    assert EventCertificate.objects.count() == 1


def test_certificates_printed_by_the_office_are_mailed_by_the_next_run():
    event = _held_event()
    ExternalParticipantFactory(event=event, email="a@ds15.example", attended=True)
    ExternalParticipantFactory(event=event, email="b@ds15.example", attended=True)
    ExternalParticipantFactory(event=event, email="absent@ds15.example")
    event_certificates_issue(event=event)
    _run()
    _run()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@ds15.example", "b@ds15.example"]
    assert OutboxMessage.objects.filter(kind="events.external_certificate").count() == 2


def test_a_revoked_certificate_is_not_mailed():
    external = ExternalParticipantFactory(event=_held_event(), attended=True)
    (certificate,) = event_certificates_issue(event=external.event)
    certificate_revoke(certificate=certificate, reason="отметили по ошибке")
    _run()
    external_attendance_mark(externals=[external])
    _run()
    assert mail.outbox == []


def test_ticking_attended_on_the_event_page_mails_the_link(client, senior):
    event = _held_event()
    external = ExternalParticipantFactory(event=event, email="olga@ds15.example")
    client.force_login(senior)
    url = reverse("admin:events_event_change", args=[event.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(_inline_data(page, external))
    data["start_0"], data["start_1"] = "14.10.2026", "10:00"
    data["end_0"], data["end_1"] = "14.10.2026", "12:00"
    data["organizer"] = event.organizer_id
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    external.refresh_from_db()
    assert external.attended
    send_queued()
    assert [m.to for m in mail.outbox] == [["olga@ds15.example"]]


def _inline_data(page, external):
    """The management forms of every inline on the page, the external participant's row ticked."""
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        total = formset.formset.total_form_count()
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": total,
                f"{prefix}-INITIAL_FORMS": formset.formset.initial_form_count(),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for i, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form.initial.get(name)
                if name == "id":
                    value = inline_form.instance.pk
                if value not in (None, "", False):
                    data[f"{prefix}-{i}-{name}"] = value
            if inline_form.instance.pk == external.pk and formset.formset.model is type(external):
                data[f"{prefix}-{i}-attended"] = "on"
            data[f"{prefix}-{i}-{formset.formset.fk.name}"] = page.context["original"].pk
    return data
