"""Writes with rules for events: sign-up and the waiting list, places released on dismissal,
recommendations, attendance, experience sharing, public registration, copies of events and
personal calendar addresses, attendance certificates, the published monthly plan."""

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from kindergarten_portal.caching.pagecache import bump_public_pages
from kindergarten_portal.models import Organization
from staff.models import Employee

from . import notifications, selectors
from .models import (
    PLACE_TAKING,
    CalendarToken,
    Event,
    EventCertificate,
    EventStatus,
    ExternalParticipant,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    PublishedPlan,
    RecommendationReason,
    over_q,
)

# Days after an attended external event within which the teacher shares the experience.
SHARING_DAYS = 30


def places_taken(event) -> int:
    """Places held at the event: teachers signed up or attended, plus registered external colleagues."""
    teachers = Participation.objects.filter(event=event, status__in=PLACE_TAKING).count()
    return teachers + ExternalParticipant.objects.filter(event=event).count()


def _check_signup_open(event, now):
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("The event is cancelled."))
    if event.status == EventStatus.HELD:
        raise ValidationError(_("The event has already been held."))
    if event.status != EventStatus.PLANNED:
        raise ValidationError(_("Sign-up for this event is not open."))
    if now >= event.deadline:
        raise ValidationError(_("The sign-up deadline has passed."))


def participation_sign_up(*, event, teacher, now=None) -> Participation:
    """Sign `teacher` up for `event`, or put her on the waiting list when the event is full.

    The event row is locked for the transaction, so two teachers taking the last place at once
    cannot overbook it: the second one waits for the lock and lands on the waiting list.
    Returns the participation (status signed_up or waiting); ValidationError if sign-up is closed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_signup_open(event, now)
        if not Employee.objects.current(on=timezone.localdate(now)).filter(pk=teacher.pk).exists():
            raise ValidationError(_("Only current staff can sign up for events."))
        participation = Participation.objects.filter(event=event, teacher=teacher).first()
        if participation is not None:
            if participation.status == ParticipationStatus.WAITING:
                raise ValidationError(_("You are already on the waiting list."))
            if participation.status not in (ParticipationStatus.RECOMMENDED, ParticipationStatus.CANCELLED):
                raise ValidationError(_("You are already signed up for this event."))
        else:
            participation = Participation(event=event, teacher=teacher)
        full = event.capacity is not None and places_taken(event) >= event.capacity
        participation.status = ParticipationStatus.WAITING if full else ParticipationStatus.SIGNED_UP
        participation.status_changed_at = now
        participation.full_clean()
        participation.save()
    return participation


def participation_cancel(*, participation, now=None) -> Participation | None:
    """Cancel a sign-up (or leave the waiting list) before the deadline.

    A freed place goes to the first in line, who is notified. Returns the promoted participation or None.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=participation.event_id)
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if participation.status not in (ParticipationStatus.SIGNED_UP, ParticipationStatus.WAITING):
            raise ValidationError(_("You are not signed up for this event."))
        if event.status != EventStatus.PLANNED or now >= event.deadline:
            raise ValidationError(_("It is too late to cancel: the sign-up deadline has passed."))
        promoted = _cancel_locked(event, participation, now)
    return promoted[0] if promoted else None


def _cancel_locked(event, participation, now):
    """Cancel a participation whose event and row the caller has locked; a place it held goes to
    the waiting list of a planned event. Returns the promoted participations."""
    held_a_place = participation.status == ParticipationStatus.SIGNED_UP
    participation.status = ParticipationStatus.CANCELLED
    participation.status_changed_at = now
    participation.save(update_fields=["status", "status_changed_at"])
    if held_a_place and event.status == EventStatus.PLANNED:
        return _fill_from_waiting_list(event, now)
    return []


# What a teacher who leaves the staff still had ahead of her: cancelled on her dismissal.
RELEASED_ON_DISMISSAL = (
    ParticipationStatus.SIGNED_UP,
    ParticipationStatus.WAITING,
    ParticipationStatus.RECOMMENDED,
)


def _releasable(now):
    """Participations of former staff (dismissal date reached) in events that have not started."""
    former = Employee.objects.exclude(
        pk__in=Employee.objects.current(on=timezone.localdate(now)).values("pk")
    )
    return Participation.objects.filter(
        status__in=RELEASED_ON_DISMISSAL, event__start__gt=now, teacher__in=former.values("pk")
    )


@dataclasses.dataclass(frozen=True)
class Release:
    """What releasing dismissed staff did: the participations cancelled, and those on a waiting
    list given a freed place (each told by e-mail when she has an address)."""

    cancelled: list[Participation]
    promoted: list[Participation]

    @property
    def told(self) -> int:
        return sum(1 for participation in self.promoted if participation.teacher.mail_address)


def _release_for(employee, now) -> Release:
    cancelled, promoted = [], []
    rows = _releasable(now).filter(teacher=employee).order_by("event__start", "pk")
    for pk, event_pk in list(rows.values_list("pk", "event_id")):
        # Locked in the order participation_cancel locks (the event, then the row) and read again:
        # a parallel run may have got here first.
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_pk)
            participation = _releasable(now).select_for_update(of=("self",)).filter(pk=pk).first()
            if participation is None:
                continue
            promoted += _cancel_locked(event, participation, now)
        cancelled.append(participation)
    return Release(cancelled=cancelled, promoted=promoted)


def participations_release_for_dismissed(*, employee, now=None) -> list[Participation]:
    """Cancel a dismissed teacher's sign-ups, waiting-list places and recommendations for events
    that have not started; each freed place goes to the first in line, who is told (as when she
    cancels herself, but past the sign-up deadline too: she will not come).

    Past and attended participations are kept. While she is current staff (no dismissal date, or
    one still ahead) nothing happens, and a second call finds nothing left: safe on every save.
    Returns the cancelled participations.
    """
    return _release_for(employee, now or timezone.now()).cancelled


def participations_release_dismissed(*, now=None) -> Release:
    """Release the future participations of everyone whose dismissal date has arrived (see
    participations_release_for_dismissed): for dismissals entered ahead of the day, run by
    send_notifications. Safe to run twice."""
    now = now or timezone.now()
    cancelled, promoted = [], []
    for teacher in Employee.objects.filter(pk__in=_releasable(now).values("teacher")):
        release = _release_for(teacher, now)
        cancelled += release.cancelled
        promoted += release.promoted
    return Release(cancelled=cancelled, promoted=promoted)


def _fill_from_waiting_list(event, now):
    promoted = []
    # A teacher dismissed since she joined the line no longer takes a place.
    current = Employee.objects.current(on=timezone.localdate(now)).values("pk")
    waiting = (
        Participation.objects.select_for_update(of=("self",))
        .filter(event=event, status=ParticipationStatus.WAITING, teacher__in=current)
        .select_related("teacher__user", "event")
        .order_by("status_changed_at", "pk")
    )
    free = None if event.capacity is None else event.capacity - places_taken(event)
    for participation in waiting:
        if free is not None and free <= 0:
            break
        participation.status = ParticipationStatus.SIGNED_UP
        participation.status_changed_at = now
        participation.save(update_fields=["status", "status_changed_at"])
        notifications.queue_place_freed(participation)
        promoted.append(participation)
        if free is not None:
            free -= 1
    return promoted


def event_fill_from_waiting_list(*, event, now=None) -> list[Participation]:
    """Give free places (after a cancellation or a larger capacity) to the waiting list, in order.

    Returns the promoted participations; each promoted teacher is notified.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status != EventStatus.PLANNED:
            return []
        return _fill_from_waiting_list(event, now)


def _check_recommendable(events, teachers, reason, now):
    # Teachers see planned events only: a recommendation of any other would link to a page she cannot open.
    hidden = [event.title for event in events if event.status != EventStatus.PLANNED]
    if hidden:
        raise ValidationError(
            _(
                "Only planned events can be recommended (teachers do not see drafts, held or cancelled events): %(events)s."
            )
            % {"events": ", ".join(hidden)}
        )
    if reason not in RecommendationReason.values:
        raise ValidationError(_("Choose the reason for the recommendation."))
    current = set(
        Employee.objects.current(on=timezone.localdate(now))
        .filter(pk__in=[teacher.pk for teacher in teachers])
        .values_list("pk", flat=True)
    )
    former = [str(teacher) for teacher in teachers if teacher.pk not in current]
    if former:
        raise ValidationError(
            _("Only current staff can be recommended events; no longer on the staff: %(teachers)s.")
            % {"teachers": ", ".join(former)}
        )


def recommend(
    *, event, teachers, reason, recommended_by, area="", comment="", now=None
) -> list[Participation]:
    """Recommend a planned `event` to each of `teachers` with a reason; each is notified.

    A teacher who has not signed up gets a participation with status «recommended» (no place taken);
    one who has keeps her status. Only current staff can be recommended an event.
    Returns the participations.
    """
    return recommend_events(
        events=[event],
        teachers=teachers,
        reason=reason,
        recommended_by=recommended_by,
        area=area,
        comment=comment,
        now=now,
    )


def recommend_events(
    *, events, teachers, reason, recommended_by, area="", comment="", now=None
) -> list[Participation]:
    """Recommend several planned events at once: all of them or none.

    Every event is checked before any is recommended, the writes share one transaction and the
    e-mails go out only after it commits. Returns the participations of all events.
    """
    events = list(events)
    teachers = list(teachers)
    now = now or timezone.now()
    _check_recommendable(events, teachers, reason, now)
    result = []
    with transaction.atomic():
        for event in events:
            result += _recommend(
                event=event,
                teachers=teachers,
                reason=reason,
                recommended_by=recommended_by,
                area=area,
                comment=comment,
                now=now,
            )
    return result


def _recommend(*, event, teachers, reason, recommended_by, area, comment, now):
    if reason != RecommendationReason.DIFFICULTY:
        area = ""
    result = []
    existing = {p.teacher_id: p for p in Participation.objects.filter(event=event, teacher__in=teachers)}
    with transaction.atomic():
        for teacher in teachers:
            participation = existing.get(teacher.pk)
            if participation is None:
                participation = Participation(
                    event=event,
                    teacher=teacher,
                    status=ParticipationStatus.RECOMMENDED,
                    status_changed_at=now,
                )
            elif participation.status == ParticipationStatus.CANCELLED:
                participation.status = ParticipationStatus.RECOMMENDED
                participation.status_changed_at = now
            participation.recommended_by = recommended_by
            participation.recommended_at = now
            participation.recommendation_reason = reason
            participation.recommendation_area = area
            participation.recommendation_comment = comment
            participation.full_clean()
            participation.save()
            participation.event = event
            participation.teacher = teacher
            # Queued with the recommendation: a rollback takes it back; the sender mails it.
            notifications.queue_recommendation(participation)
            result.append(participation)
    return result


def attendance_check_started(*, events, now=None) -> None:
    """Raise ValidationError naming the events that have not started yet: attendance of those
    cannot be marked. Used by attendance_mark and by the admin forms before they save."""
    now = now or timezone.now()
    not_started = sorted({event.title for event in events if event.start > now})
    if not_started:
        raise ValidationError(
            _("Attendance can be marked only after the event has started: %(events)s.")
            % {"events": ", ".join(not_started)}
        )


def attendance_mark(*, participations, attended: bool, now=None) -> int:
    """Mark teachers as attended or absent. Attending an external event opens an experience-sharing
    follow-up due SHARING_DAYS after it. Each row is saved on its own so receivers see every change.

    Returns how many were marked; ValidationError if an event has not started yet.
    """
    now = now or timezone.now()
    status = ParticipationStatus.ATTENDED if attended else ParticipationStatus.ABSENT
    rows = list(participations.select_related("event__organizer"))
    attendance_check_started(events=[p.event for p in rows], now=now)
    return _attendance_set(rows, status, now)


def attendance_unmark(*, participations, status=ParticipationStatus.SIGNED_UP, now=None) -> int:
    """Take back attendance marked by mistake: the participations get `status` (signed up unless
    told otherwise; not «attended») and, as for an absence, an experience-sharing follow-up not
    yet done is dropped. Returns how many were changed."""
    if status == ParticipationStatus.ATTENDED:
        raise ValueError("attendance_mark marks attendance")
    rows = list(participations.select_related("event__organizer"))
    return _attendance_set(rows, status, now or timezone.now())


def participants_add(*, event, teachers, role, attended: bool, now=None) -> list[Participation]:
    """Add teachers who came to the event without signing up (walk-ins), with their role, all at once;
    with `attended`, mark them attended through `attendance_mark` (so it reaches portfolios as any
    attendance does). A teacher already on the list keeps her row and takes the role given.

    Returns their participations; ValidationError (nothing written) if attendance is marked before
    the event has started.
    """
    now = now or timezone.now()
    if attended:
        attendance_check_started(events=[event], now=now)
    with transaction.atomic():
        rows = []
        for teacher in teachers:
            participation, created = Participation.objects.get_or_create(
                event=event,
                teacher=teacher,
                defaults={"role": role, "status": ParticipationStatus.SIGNED_UP, "status_changed_at": now},
            )
            if not created and participation.role != role:
                participation.role = role
                participation.save(update_fields=["role"])
            rows.append(participation)
        if attended:
            attendance_mark(
                participations=Participation.objects.filter(pk__in=[p.pk for p in rows]),
                attended=True,
                now=now,
            )
    return list(Participation.objects.filter(pk__in=[p.pk for p in rows]).select_related("teacher"))


def _attendance_apply(participation, status, now):
    """Give the participation (its event loaded) the attendance `status` in memory, with the
    experience-sharing follow-up it brings: opened by attending an external event, dropped (unless
    done) by anything else."""
    attended = status == ParticipationStatus.ATTENDED
    participation.status = status
    participation.status_changed_at = now
    if attended and participation.event.is_external and participation.sharing_due is None:
        end_day = timezone.localdate(participation.event.finish)
        participation.sharing_due = end_day + datetime.timedelta(days=SHARING_DAYS)
    if not attended and participation.sharing_done is None:
        participation.sharing_due = None


def _attendance_set(rows, status, now):
    with transaction.atomic():
        for participation in rows:
            _attendance_apply(participation, status, now)
            participation.save()
    return len(rows)


# Sent inside event_attendance_record's transaction once its bulk write is done (it sends no
# post_save), with `participations`: those whose status it changed, their event loaded. The apps
# that act on a participation's save subscribe in their receivers.py.
attendance_recorded = Signal()


@dataclasses.dataclass
class AttendanceRecord:
    """What event_attendance_record leaves: the participations now attended and absent (teachers
    by surname) and the event's certificates in force, ready to print."""

    attended: list
    absent: list
    certificates: list


def event_attendance_record(*, event, attended, walk_ins=(), now=None) -> AttendanceRecord:
    """Mark the attendance of a whole event from one list of ticks, all of it or nothing.

    `attended`: ids of the event's participations ticked as present; `walk_ins`: teachers who
    came without signing up, added as listeners (participants_add) and marked present too.
    Everyone ticked is marked attended; someone signed up or marked attended and not ticked is
    marked absent; the waiting list, the recommended and those who cancelled are left as they are
    unless ticked. Then every certificate not issued yet is issued (event_certificates_issue).

    The rules are attendance_mark's (the event must have started, the experience-sharing
    follow-up), written in bulk: a fixed number of queries whatever the number of teachers, with
    the `attendance_recorded` signal for what a save would have told. ValidationError, with nothing
    written, if the event has not started yet.
    """
    now = now or timezone.now()
    ticked = set(attended)
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("organizer").get(pk=event.pk)
        attendance_check_started(events=[event], now=now)
        # Someone searched for who is on the list already is ticked there (her role kept).
        listed = dict(Participation.objects.filter(event=event).values_list("teacher_id", "pk"))
        ticked |= {listed[teacher.pk] for teacher in walk_ins if teacher.pk in listed}
        new = [teacher for teacher in walk_ins if teacher.pk not in listed]
        if new:
            added = participants_add(
                event=event, teachers=new, role=ParticipationRole.LISTENER, attended=False, now=now
            )
            ticked |= {participation.pk for participation in added}
        rows = list(
            Participation.objects.filter(event=event)
            .select_related("teacher")
            .order_by("teacher__surname", "teacher__name", "pk")
        )
        changed = []
        for participation in rows:
            participation.event = event
            if participation.pk in ticked:
                status = ParticipationStatus.ATTENDED
            elif participation.status in PLACE_TAKING:
                status = ParticipationStatus.ABSENT
            else:
                continue
            if participation.status != status:
                _attendance_apply(participation, status, now)
                changed.append(participation)
        Participation.objects.bulk_update(changed, ["status", "status_changed_at", "sharing_due"])
        if changed:
            attendance_recorded.send(sender=Participation, participations=changed)
        certificates = event_certificates_issue(event=event, now=now)
    return AttendanceRecord(
        attended=[p for p in rows if p.status == ParticipationStatus.ATTENDED],
        absent=[p for p in rows if p.status == ParticipationStatus.ABSENT],
        certificates=certificates,
    )


def sharing_mark_done(*, participation, done_on, account, form="", today=None) -> Participation:
    """Close an experience-sharing follow-up with the date, its form (one of SHARING_FORMATS, or
    empty for another) and a short account of how and to whom."""
    today = today or timezone.localdate()
    if participation.sharing_due is None:
        raise ValidationError(_("This event has no experience-sharing follow-up."))
    if participation.sharing_done is not None:
        raise ValidationError(_("This follow-up is already closed."))
    if done_on > today:
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    if done_on < timezone.localdate(participation.event.start):
        raise ValidationError({"done_on": _("The experience cannot be shared before the event.")})
    participation.sharing_done = done_on
    participation.sharing_account = account.strip()
    participation.sharing_format = form
    participation.full_clean()
    participation.save()
    return participation


def external_register(
    *, event, full_name, organization, position, email, consent, now=None
) -> ExternalParticipant:
    """Register a colleague from a partner organization for an open event and queue her confirmation.

    Refuses a closed or full event, a missing consent and a second registration of the same e-mail.
    """
    now = now or timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.is_open:
            raise ValidationError(_("This event is not open to partners."))
        _check_signup_open(event, now)
        if not consent:
            raise ValidationError(
                {"consent": _("Registration needs your consent to personal-data processing.")}
            )
        if ExternalParticipant.objects.filter(event=event, email=email).exists():
            raise ValidationError({"email": _("This e-mail is already registered for this event.")})
        if event.capacity is not None and places_taken(event) >= event.capacity:
            raise ValidationError(_("There are no places left."))
        external = ExternalParticipant(
            event=event,
            full_name=full_name.strip(),
            organization=organization.strip(),
            position=position.strip(),
            email=email,
            consent=True,
            consent_at=now,
        )
        external.full_clean()
        external.save()
        notifications.queue_registration_confirmed(external)
    return external


# What stands in for a removed name; the row itself stays for the counts.
REMOVED_NAME = "удалено"


def external_personal_data_remove(*, now=None) -> int:
    """Anonymise the partners registered for open events that ended more than
    EXTERNAL_PERSONAL_DATA_KEEP_DAYS ago (152-FZ: kept no longer than the purpose needs); returns
    how many rows were anonymised. The rows stay, with their attendance, so every count of
    registered and attended partners stays as it was. Safe to run twice."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS)
    removed = ExternalParticipant.objects.filter(
        over_q("lt", cutoff, "event__"), personal_data_removed_at__isnull=True
    ).update(full_name=REMOVED_NAME, organization="", position="", email="", personal_data_removed_at=now)
    if removed:
        bump_public_pages()  # an update() sends no post_save
    return removed


def event_copy(*, event) -> Event:
    """A draft copy of the event (same details and co-organizers, no participants or results)."""
    copy = Event(
        title=_("%(title)s (copy)") % {"title": event.title},
        format=event.format,
        level=event.level,
        organizer_id=event.organizer_id,
        host_id=event.host_id,
        series_id=event.series_id,
        direction_id=event.direction_id,
        start=event.start,
        end=event.end,
        hours=event.hours,
        place=event.place,
        online_link=event.online_link,
        description=event.description,
        audience=event.audience,
        capacity=event.capacity,
        signup_deadline=event.signup_deadline,
        is_open=event.is_open,
        status=EventStatus.DRAFT,
    )
    copy.title = copy.title[:500]
    with transaction.atomic():
        copy.full_clean()
        copy.save()
        copy.co_organizers.set(event.co_organizers.all())
    return copy


def calendar_token_get(*, employee) -> CalendarToken:
    """The teacher's personal calendar token, created on first use."""
    token, _created = CalendarToken.objects.get_or_create(
        employee=employee, defaults={"token": CalendarToken.new_token()}
    )
    return token


def calendar_token_regenerate(*, employee) -> CalendarToken:
    """Replace the teacher's calendar token: the old address stops working at once."""
    token = calendar_token_get(employee=employee)
    token.token = CalendarToken.new_token()
    token.created_at = timezone.now()
    token.save(update_fields=["token", "created_at"])
    return token


# ---------------------------------------------------------------- attendance certificates


def _new_certificate(now, **holder):
    (holder_row,) = holder.values()
    certificate = EventCertificate.objects.create(
        issued_at=now, issued_by_id=holder_row.event.host_id, **holder, **EventCertificate.new_secrets()
    )
    # The number is the id's: fixed once, never reused, the same whenever it is printed again.
    certificate.number = certificate.format_number()
    certificate.save(update_fields=["number"])
    return certificate


def certificate_issue(*, participation=None, external_participant=None, now=None) -> EventCertificate:
    """The certificate of a teacher's attended participation or of an external participant marked
    as attended: made on the first call, the same row (same number) on every later one.

    ValidationError while attendance is not marked.
    """
    if (participation is None) == (external_participant is None):
        raise ValueError("a certificate is of a participation or of an external participant")
    attended = (
        participation.status == ParticipationStatus.ATTENDED
        if participation is not None
        else external_participant.attended
    )
    if not attended:
        raise ValidationError(_("A certificate is issued once attendance is marked."))
    if participation is not None:
        holder = {"participation": participation}
    else:
        holder = {"external_participant": external_participant}
    existing = EventCertificate.objects.filter(**holder).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _new_certificate(now or timezone.now(), **holder)
    except IntegrityError:  # issued by a parallel request a moment ago
        return EventCertificate.objects.get(**holder)


def external_attendance_mark(*, externals, now=None) -> list[EventCertificate]:
    """Mark external participants as attended, issue each her certificate and e-mail her its
    download link (once per certificate; a revoked one is not sent). Returns the certificates."""
    now = now or timezone.now()
    certificates = []
    with transaction.atomic():
        for external in externals:
            if not external.attended:
                external.attended = True
                external.save(update_fields=["attended"])
            certificate = certificate_issue(external_participant=external, now=now)
            if not certificate.is_revoked:
                notifications.queue_external_certificate(certificate)
            certificates.append(certificate)
    return certificates


def event_certificates_issue(*, event, now=None) -> list[EventCertificate]:
    """Certificates of everyone who attended the event (teachers marked attended, external
    participants ticked as attended), issuing those not issued yet; revoked ones are left out.

    Returns them with what the PDF prints loaded: teachers by surname, then external participants.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)  # one issuer at a time
        participations = Participation.objects.filter(
            event=event, status=ParticipationStatus.ATTENDED, certificate__isnull=True
        ).values_list("pk", flat=True)
        externals = ExternalParticipant.objects.filter(
            event=event, attended=True, certificate__isnull=True
        ).values_list("pk", flat=True)
        made = EventCertificate.objects.bulk_create(
            [
                EventCertificate(
                    issued_at=now,
                    issued_by_id=event.host_id,
                    participation_id=pk,
                    **EventCertificate.new_secrets(),
                )
                for pk in participations
            ]
            + [
                EventCertificate(
                    issued_at=now,
                    issued_by_id=event.host_id,
                    external_participant_id=pk,
                    **EventCertificate.new_secrets(),
                )
                for pk in externals
            ]
        )
        # Numbered from their ids, as _new_certificate numbers one: two queries for any number.
        for certificate in made:
            certificate.number = certificate.format_number()
        EventCertificate.objects.bulk_update(made, ["number"])
    return selectors.event_certificates(event=event)


def certificate_revoke(*, certificate, reason, now=None) -> EventCertificate:
    """Revoke a certificate: its verification page says so from now on; the number stays taken."""
    if certificate.revoked_at is not None:
        raise ValidationError(
            _("The certificate %(number)s is already revoked.") % {"number": certificate.number}
        )
    if not reason.strip():
        raise ValidationError({"revoked_reason": _("Say why the certificate is revoked.")})
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


# ---------------------------------------------------------------- a dismissed teacher's certificates


def teacher_certificates_issue(*, teacher, now=None) -> list[EventCertificate]:
    """Every certificate of the events the teacher attended (selectors.teacher_certificates, revoked
    ones too), issuing first those not issued yet: attendance marked after she left among them."""
    now = now or timezone.now()
    missing = Participation.objects.filter(
        teacher=teacher, status=ParticipationStatus.ATTENDED, certificate__isnull=True
    )
    for participation in missing:
        certificate_issue(participation=participation, now=now)
    return list(selectors.teacher_certificates(teacher=teacher))


def certificates_link_refusal(teacher) -> str:
    """Why the link to her certificates cannot be sent to the teacher ("" when it can): she has no
    dismissal date, no address, or no certificate in force (an attended event whose certificate is
    not revoked, issued or not yet)."""
    if teacher.dismissal_date is None:
        return _("no dismissal date")
    if not teacher.mail_address:
        return _("no e-mail address")
    in_force = Participation.objects.filter(teacher=teacher, status=ParticipationStatus.ATTENDED).filter(
        Q(certificate__isnull=True) | Q(certificate__revoked_at__isnull=True)
    )
    if not in_force.exists():
        return _("no certificates")
    return ""


def certificates_link_send(*, teacher, again=False, now=None):
    """Queue the e-mail with the signed link to the teacher's certificates page, which she opens
    without signing in once her account no longer opens her pages.

    Once per dismissal date: every save of a dismissed record calls this, and only the first queues
    (a corrected date sends a new link; the old one stops working). `again` (the office's action)
    queues it once more now, for an address that changed or a mail that got lost. Returns the queued
    message, or None: see certificates_link_refusal, or already queued for this date.
    """
    if certificates_link_refusal(teacher):
        return None
    return notifications.queue_certificates_link(teacher, again_at=(now or timezone.now()) if again else None)


# ---------------------------------------------------------------- the published monthly plan


def plan_publish(
    *, year: int, month: int, published_by=None, now=None, organization=None
) -> tuple[PublishedPlan, bool]:
    """Mark the kindergarten's plan of the month as published (ours unless another is given): the
    next `send_notifications` run e-mails it to every current teacher of that kindergarten, once.
    Returns (the plan, whether it is newly published); publishing again changes nothing.
    """
    plan = PublishedPlan(
        year=year, month=month, published_at=now or timezone.now(), published_by=published_by
    )
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan, created = PublishedPlan.objects.get_or_create(
        organization=organization or Organization.objects.own_or_create(),
        year=year,
        month=month,
        defaults={"published_at": plan.published_at, "published_by": published_by},
    )
    return plan, created
