"""Access-matrix rows for the events app (collected by tests/test_access_matrix.py)."""

import datetime

from django.core.files.base import ContentFile
from django.urls import reverse

from events.access import certificates_link_token
from events.models import EventPhoto, EventStatus, Participation, ParticipationStatus
from events.services import calendar_token_get, certificate_issue, certificate_revoke
from staff.access import staff_record
from tests.events.factories import EventFactory, ExternalParticipantFactory, in_days

EVERYONE = dict(anonymous=200, anna=200, boris=200, head=200, senior=200)
SIGNED_IN = dict(anonymous=302, anna=200, boris=200, head=200, senior=200)
TEACHERS_ONLY = dict(anonymous=302, anna=200, boris=200, head=404, senior=404)
OFFICE_ONLY = dict(anonymous=404, anna=404, boris=404, head=200, senior=200)
NOBODY = dict(anonymous=404, anna=404, boris=404, head=404, senior=404)
POST_ONLY = dict(anonymous=302, anna=405, boris=405, head=405, senior=405)
ADMIN_READ = dict(anonymous=302, anna=302, boris=302, head=200, senior=200)
ADMIN_WRITE = dict(anonymous=302, anna=302, boris=302, head=403, senior=200)


def _planned_event(personas):
    return reverse("events:detail", args=[EventFactory().pk])


def _draft_event(personas):
    return reverse("events:detail", args=[EventFactory(status=EventStatus.DRAFT).pk])


def _sign_up(personas):
    return reverse("events:sign_up", args=[EventFactory().pk])


def _cancel(personas):
    return reverse("events:cancel", args=[EventFactory().pk])


def _annas_cancel(personas):
    """The confirmation page of Anna's own sign-up."""
    event = EventFactory()
    Participation.objects.create(event=event, teacher=staff_record(personas["anna"]))
    return reverse("events:cancel", args=[event.pk])


def _annas_sharing(personas):
    event = EventFactory(start=in_days(-10), status=EventStatus.HELD)
    participation = Participation.objects.create(
        event=event,
        teacher=staff_record(personas["anna"]),
        status=ParticipationStatus.ATTENDED,
        sharing_due=datetime.date.today() + datetime.timedelta(days=20),
    )
    return reverse("events:sharing", args=[participation.pk])


def _annas_calendar(personas):
    token = calendar_token_get(employee=staff_record(personas["anna"]))
    return reverse("events:personal_ics", args=[token.token])


def _bogus_calendar(personas):
    return reverse("events:personal_ics", args=["not-a-token"])


def _open_event(personas):
    return reverse("events:open_detail", args=[EventFactory(is_open=True).pk])


def _open_registered(personas):
    return reverse("events:open_registered", args=[EventFactory(is_open=True).pk])


def _internal_event_public(personas):
    return reverse("events:open_detail", args=[EventFactory(is_open=False).pk])


def _published(**fields):
    return EventFactory(
        start=in_days(-5), status=EventStatus.HELD, results_published=True, results_text="Итоги", **fields
    )


def _published_result(personas):
    return reverse("events:result_detail", args=[_published().pk])


def _unpublished_result(personas):
    event = EventFactory(start=in_days(-5), status=EventStatus.HELD)
    return reverse("events:result_detail", args=[event.pk])


def _photo(event):
    photo = EventPhoto(event=event, caption="Фото")
    photo.image.save("p.jpg", ContentFile(b"\xff\xd8\xff\xe0fake-jpeg"), save=True)
    return reverse("events:photo", args=[photo.pk])


def _published_photo(personas):
    return _photo(_published())


def _unpublished_photo(personas):
    return _photo(EventFactory(start=in_days(-5), status=EventStatus.HELD))


def _admin_participants_add(personas):
    return reverse("admin:events_event_participants_add", args=[EventFactory().pk])


def _admin_attendance(personas):
    return reverse("admin:events_event_attendance", args=[_annas_attended(personas).event_id])


def _admin_event_change(personas):
    return reverse("admin:events_event_change", args=[EventFactory().pk])


def _annas_attended(personas):
    return Participation.objects.create(
        event=EventFactory(start=in_days(-10), status=EventStatus.HELD),
        teacher=staff_record(personas["anna"]),
        status=ParticipationStatus.ATTENDED,
    )


def _annas_certificate(personas):
    return reverse("events:my_certificate", args=[_annas_attended(personas).pk])


def _annas_signed_up_certificate(personas):
    participation = Participation.objects.create(event=EventFactory(), teacher=staff_record(personas["anna"]))
    return reverse("events:my_certificate", args=[participation.pk])


def _external_certificate(personas):
    event = EventFactory(start=in_days(-10), status=EventStatus.HELD, is_open=True)
    certificate = certificate_issue(
        external_participant=ExternalParticipantFactory(event=event, attended=True)
    )
    return reverse("events:external_certificate", args=[certificate.token])


def _bogus_external_certificate(personas):
    return reverse("events:external_certificate", args=["not-a-token"])


def _verification(personas):
    certificate = certificate_issue(participation=_annas_attended(personas))
    return reverse("events:certificate_verify", args=[certificate.number, certificate.check_code])


def _revoked_verification(personas):
    certificate = certificate_issue(participation=_annas_attended(personas))
    certificate_revoke(certificate=certificate, reason="ошибка")
    return reverse("events:certificate_verify", args=[certificate.number, certificate.check_code])


def _made_up_verification(personas):
    return reverse("events:certificate_verify", args=["2026-000999", "0123456789"])


def _annas_certificates_link(personas):
    """The signed link e-mailed to Anna with her dismissal date: her certificates without signing in."""
    anna = staff_record(personas["anna"])
    anna.dismissal_date = datetime.date(2026, 6, 30)
    anna.save()
    return certificate_issue(participation=_annas_attended(personas)), certificates_link_token(anna)


def _certificates_link(personas):
    _certificate, token = _annas_certificates_link(personas)
    return reverse("events:teacher_certificates", args=[token])


def _bogus_certificates_link(personas):
    return reverse("events:teacher_certificates", args=["not-a-token"])


def _certificate_by_link(personas):
    certificate, token = _annas_certificates_link(personas)
    return reverse("events:teacher_certificate", args=[token, certificate.pk])


def _borises_certificate_by_annas_link(personas):
    _certificate, token = _annas_certificates_link(personas)
    participation = Participation.objects.create(
        event=EventFactory(start=in_days(-10), status=EventStatus.HELD),
        teacher=staff_record(personas["boris"]),
        status=ParticipationStatus.ATTENDED,
    )
    return reverse(
        "events:teacher_certificate", args=[token, certificate_issue(participation=participation).pk]
    )


def _admin_sign_in_sheet(personas):
    return reverse("admin:events_event_sign_in_sheet", args=[EventFactory().pk])


def _admin_certificates(personas):
    return reverse("admin:events_event_certificates", args=[_annas_attended(personas).event_id])


ROWS = [
    ("events:plan", "/events/", dict(anonymous=302, anna=302, boris=302, head=302, senior=302)),
    # Her consent to her name in published results: a teacher's own; the office has no staff record.
    (
        "events:my_results_name_consent",
        "/events/my-name-in-results/",
        dict(anonymous=302, anna=200, boris=200, head=404, senior=404),
    ),
    ("events:month", "/events/2026/5/", SIGNED_IN),
    ("events:month", "/events/2026/13/", dict(anonymous=302, anna=404, boris=404, head=404, senior=404)),
    ("events:calendar", "/events/2026/5/calendar/", SIGNED_IN),
    ("events:month_print", "/events/2026/5/print/", SIGNED_IN),
    (
        "events:month_print",
        "/events/2026/13/print/",
        dict(anonymous=302, anna=404, boris=404, head=404, senior=404),
    ),
    (
        "events:month_xlsx",
        "/events/2026/5/plan.xlsx",
        dict(anonymous=302, anna=403, boris=403, head=200, senior=200),
    ),
    (
        "events:month_xlsx",
        "/events/2026/13/plan.xlsx",
        dict(anonymous=302, anna=403, boris=403, head=404, senior=404),
    ),
    ("events:detail", _planned_event, SIGNED_IN),
    ("events:detail", _draft_event, dict(anonymous=302, anna=404, boris=404, head=200, senior=200)),
    ("events:sign_up", _sign_up, POST_ONLY),
    # Cancelling asks first (GET); nobody's sign-up here, so there is nothing to cancel.
    ("events:cancel", _cancel, dict(anonymous=302, anna=404, boris=404, head=404, senior=404)),
    ("events:cancel", _annas_cancel, dict(anonymous=302, anna=200, boris=404, head=404, senior=404)),
    ("events:my", "/events/my/", TEACHERS_ONLY),
    ("events:sharing", _annas_sharing, dict(anonymous=302, anna=200, boris=404, head=404, senior=404)),
    ("events:my_calendar", "/events/my/calendar/", TEACHERS_ONLY),
    (
        "events:my_certificate",
        _annas_certificate,
        dict(anonymous=302, anna=200, boris=404, head=404, senior=404),
    ),
    (
        "events:my_certificate",
        _annas_signed_up_certificate,
        dict(anonymous=302, anna=404, boris=404, head=404, senior=404),
    ),
    ("events:my_calendar_regenerate", "/events/my/calendar/new/", TEACHERS_ONLY),
    ("events:personal_ics", _annas_calendar, EVERYONE),
    ("events:personal_ics", _bogus_calendar, NOBODY),
    ("events:open_list", "/events/open/", EVERYONE),
    ("events:open_detail", _open_event, EVERYONE),
    ("events:open_detail", _internal_event_public, NOBODY),
    # Only the session that registered sees its confirmation (tests/events/test_public.py).
    ("events:open_registered", _open_registered, NOBODY),
    ("events:open_ics", "/events/open.ics", EVERYONE),
    ("events:results", "/events/results/", EVERYONE),
    ("events:result_detail", _published_result, EVERYONE),
    ("events:result_detail", _unpublished_result, NOBODY),
    ("events:results_feed", "/events/results/feed/", EVERYONE),
    ("events:photo", _published_photo, EVERYONE),
    ("events:photo", _unpublished_photo, OFFICE_ONLY),
    ("events:external_certificate", _external_certificate, EVERYONE),
    ("events:external_certificate", _bogus_external_certificate, NOBODY),
    ("events:certificate_verify", _verification, EVERYONE),
    ("events:certificate_verify", _revoked_verification, EVERYONE),
    ("events:certificate_verify", _made_up_verification, NOBODY),
    # A dismissed teacher's certificates: the signed link is the key; only hers, whoever asks.
    ("events:teacher_certificates", _certificates_link, EVERYONE),
    ("events:teacher_certificates", _bogus_certificates_link, NOBODY),
    ("events:teacher_certificate", _certificate_by_link, EVERYONE),
    ("events:teacher_certificate", _borises_certificate_by_annas_link, NOBODY),
    ("admin:events_event_changelist", "/admin/events/event/", ADMIN_READ),
    ("admin:events_event_change", _admin_event_change, ADMIN_READ),
    ("admin:events_event_add", "/admin/events/event/add/", ADMIN_WRITE),
    ("admin:events_event_import", "/admin/events/event/import/", ADMIN_WRITE),
    ("admin:events_event_participants_add", _admin_participants_add, ADMIN_WRITE),
    ("admin:events_event_attendance", _admin_attendance, ADMIN_WRITE),
    ("admin:events_event_import_template", "/admin/events/event/import/template/", ADMIN_READ),
    ("admin:events_event_sign_in_sheet", _admin_sign_in_sheet, ADMIN_READ),
    # a POST form on the event list; GET is refused
    (
        "admin:events_event_publish_next_plan",
        "/admin/events/event/publish-next-plan/",
        dict(anonymous=302, anna=302, boris=302, head=405, senior=405),
    ),
    ("admin:events_publishedplan_changelist", "/admin/events/publishedplan/", ADMIN_READ),
    ("admin:events_event_certificates", _admin_certificates, ADMIN_WRITE),
    ("admin:events_eventcertificate_changelist", "/admin/events/eventcertificate/", ADMIN_READ),
    ("admin:events_participation_changelist", "/admin/events/participation/", ADMIN_READ),
    (
        "admin:kindergarten_portal_organization_changelist",
        "/admin/kindergarten_portal/organization/",
        ADMIN_READ,
    ),
    # Putting a kindergarten on the portal: the city administrator's (a superuser's) only.
    (
        "admin:kindergarten_portal_organization_add_kindergarten",
        "/admin/kindergarten_portal/organization/add-kindergarten/",
        dict(anonymous=302, anna=302, boris=302, head=403, senior=403),
    ),
    ("admin:events_series_changelist", "/admin/events/series/", ADMIN_READ),
    ("admin:events_direction_changelist", "/admin/events/direction/", ADMIN_READ),
    ("admin:events_externalparticipant_changelist", "/admin/events/externalparticipant/", ADMIN_READ),
]
