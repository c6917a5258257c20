"""Portfolio entries derived from staff and event records: a course, retraining or degree
(staff.Training), an attestation decision (staff.CategoryDecision), attendance at an event and the
experience shared afterwards (events.Participation) each become an entry: approved when it comes
from a record the office keeps; submitted for review when it is only the teacher's own statement
(the experience she says she shared). Called from `receivers.py` when such a record changes, and by
the demo data."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.admin.utils import NestedObjects
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from events.models import (
    EventFormat,
    EventStatus,
    Level,
    Participation,
    ParticipationRole,
    ParticipationStatus,
)
from kindergarten_portal.caching.pagecache import bump_public_pages
from staff.models import Category, CategoryDecision, Employee, Training, TrainingKind

from .models import EntryKind, EntryStatus, PortfolioEntry, ReportItem, StatusChange


def _training_entry(training: Training):
    item, kind = {
        TrainingKind.COURSE: (ReportItem.COURSE_TRAINING, EntryKind.COURSE),
        TrainingKind.RETRAINING: (ReportItem.RETRAINING, EntryKind.RETRAINING),
        TrainingKind.HIGHER_EDUCATION: (ReportItem.HIGHER_EDUCATION, EntryKind.HIGHER_EDUCATION),
    }[training.kind]
    day = training.end_date or training.start_date
    if day is None:
        return None  # nothing to date it by yet
    return {
        "teacher_id": training.employee_id,
        "item": item,
        "kind": kind,
        "title": training.programme[:500],
        "date": day,
        "organizer": training.provider[:255],
        "hours": training.hours or None,
        "level": "",
        "result": "",
    }


def _decision_entry(decision: CategoryDecision):
    return {
        "teacher_id": decision.employee_id,
        "item": ReportItem.ATTESTATION,
        "kind": EntryKind.ATTESTATION,
        "title": str(Category(decision.category).label).capitalize()
        + (f" ({decision.order_number})" if decision.order_number else ""),
        "date": decision.decision_date,
        "organizer": "",
        "hours": None,
        "level": "",
        "result": "",
    }


# What she did when she ran an event, by the event's form: «проведение консультации»; a form
# not named here is an «открытое мероприятие».
CONDUCTED_KINDS = {
    EventFormat.MASTER_CLASS: EntryKind.MASTER_CLASS,
    EventFormat.OPEN_SHOW: EntryKind.OPEN_SHOW,
    EventFormat.CONSULTATION: EntryKind.CONSULTATION,
    EventFormat.SEMINAR: EntryKind.SEMINAR,
    EventFormat.WORKSHOP: EntryKind.WORKSHOP,
    EventFormat.WEBINAR: EntryKind.WEBINAR,
    EventFormat.ROUND_TABLE: EntryKind.ROUND_TABLE,
    EventFormat.AUCTION: EntryKind.AUCTION,
    EventFormat.TRAINING: EntryKind.TRAINING,
    EventFormat.OPEN_DOOR_DAY: EntryKind.OPEN_DOOR_DAY,
    EventFormat.FESTIVAL: EntryKind.FESTIVAL,
    EventFormat.CAMPAIGN: EntryKind.CAMPAIGN,
}


def _participation_entry(participation: Participation):
    """Attended a seminar or webinar → 1.6; spoke → 3.1; ran a master class or an open show → 3.2,
    named by the event's form (`CONDUCTED_KINDS`); organized → 3.1 as "event organized" (the year-end gratitude list counts these). Nothing for an
    event that was cancelled, whatever attendance was marked before."""
    if participation.status != ParticipationStatus.ATTENDED:
        return None
    event = participation.event
    if event.status == EventStatus.CANCELLED:
        return None
    role = participation.role
    if role == ParticipationRole.LISTENER:
        item, kind = ReportItem.SELF_EDUCATION, EntryKind.EVENT_ATTENDED
    elif role == ParticipationRole.OPEN_SHOW_PRESENTER or (
        role == ParticipationRole.SPEAKER
        and event.format in (EventFormat.MASTER_CLASS, EventFormat.OPEN_SHOW)
    ):
        item = ReportItem.EXPERIENCE_SHARING
        kind = CONDUCTED_KINDS.get(event.format, EntryKind.OPEN_EVENT)
    elif role == ParticipationRole.SPEAKER:
        item, kind = ReportItem.METHODOLOGICAL, EntryKind.SPEECH
    elif role == ParticipationRole.ORGANIZER:
        item, kind = ReportItem.METHODOLOGICAL, EntryKind.EVENT_ORGANIZED
    else:  # jury member
        item, kind = ReportItem.METHODOLOGICAL, EntryKind.JURY
    return {
        "teacher_id": participation.teacher_id,
        "item": item,
        "kind": kind,
        "title": event.title[:500],
        "date": timezone.localdate(event.start),
        "organizer": event.organizer.name[:255],
        "hours": None,
        "level": event.level,
        "result": "",
    }


def _sharing_entry(participation: Participation):
    """Experience from an event shared with colleagues (the follow-up closed) → 3.2 "Sharing of
    experience", dated the day it was shared; it is done in her own kindergarten, hence institutional."""
    if participation.sharing_done is None or participation.event.status == EventStatus.CANCELLED:
        return None
    # Stored text: written in the site's language, whatever language the person saving uses.
    with override(settings.LANGUAGE_CODE):
        title = _("Sharing of experience: %(title)s") % {"title": participation.event.title}
    return {
        "teacher_id": participation.teacher_id,
        "item": ReportItem.EXPERIENCE_SHARING,
        # Named by the form in which she shared it (a consultation, a master class), not by the
        # event she learned from; another form is simply «трансляция опыта коллегам».
        "kind": CONDUCTED_KINDS.get(participation.sharing_format, EntryKind.EXPERIENCE_SHARED),
        "title": title[:500],
        "date": participation.sharing_done,
        "organizer": "",
        "hours": None,
        "level": Level.INSTITUTIONAL,
        "result": "",
    }


# For each kind of record, the entries it may give: (source key, rule). A participation gives two,
# the attendance and the experience shared afterwards, each under its own source key.
SOURCE_RULES = {
    "staff.training": [("staff.training", _training_entry)],
    "staff.categorydecision": [("staff.categorydecision", _decision_entry)],
    "events.participation": [
        ("events.participation", _participation_entry),
        ("events.sharing", _sharing_entry),
    ],
}
# Whether a new derived entry is shown on the mini-site; the teacher can change it afterwards.
# Attestation decisions carry order numbers: private until she chooses to show them. Her own
# statement of shared experience is private until the senior educator has verified it and she chooses.
PUBLIC_BY_DEFAULT = {
    "staff.training": True,
    "staff.categorydecision": False,
    "events.participation": True,
    "events.sharing": False,
}
# Entries that rest on the teacher's word alone: they start submitted and the senior educator
# approves or returns them like any other entry; a sync never approves them.
REVIEWED_SOURCES = {"events.sharing"}


def _agrees(entry, wanted) -> bool:
    return all(getattr(entry, key) == value for key, value in wanted.items())


def _entry_agree(entry, *, key, source_id, wanted, now):
    """Bring `entry` (None: none stored yet) in line with `wanted` (None: withdraw it), in memory.
    Returns the entry (None if there is none to keep), whether it must be saved, and the status
    change to record as (from, to), or None."""
    if wanted is None:
        if entry is not None and entry.status != EntryStatus.WITHDRAWN:
            previous, entry.status = entry.status, EntryStatus.WITHDRAWN
            return entry, True, (previous, entry.status)
        return entry, False, None
    if entry is None:
        entry = PortfolioEntry(source_type=key, source_id=source_id, is_public=PUBLIC_BY_DEFAULT[key])
        changed = True
    else:
        changed = not _agrees(entry, wanted)
    for field, value in wanted.items():
        setattr(entry, field, value)
    previous = entry.status if entry.pk else ""
    if key in REVIEWED_SOURCES:
        # New, or back after it was withdrawn: to review; otherwise its review stands.
        target = EntryStatus.SUBMITTED if previous in ("", EntryStatus.WITHDRAWN) else previous
    else:
        target = EntryStatus.APPROVED
    if previous == target:
        return entry, changed, None
    entry.status = target
    if target == EntryStatus.APPROVED:
        entry.approved_at = now
    else:
        entry.submitted_at, entry.approved_at, entry.approved_by = now, None, None
    return entry, True, (previous, target)


def _entry_sync(*, key, source_id, wanted) -> PortfolioEntry | None:
    """Make the entry under (key, source_id) agree with `wanted` (None: withdraw it)."""
    with transaction.atomic():
        entry = (
            PortfolioEntry.objects.select_for_update().filter(source_type=key, source_id=source_id).first()
        )
        entry, changed, change = _entry_agree(
            entry, key=key, source_id=source_id, wanted=wanted, now=timezone.now()
        )
        if changed and wanted is None:
            entry.save(update_fields=["status", "updated_at"])
        elif changed:
            entry.full_clean(exclude=["teacher"])
            entry.save()
        if change:
            StatusChange.objects.create(entry=entry, from_status=change[0], to_status=change[1])
    return entry


def entries_sync_for_source(*, source, deleted: bool = False) -> list[PortfolioEntry]:
    """Make the entries derived from a staff or event record agree with it; safe to repeat.

    A record that qualifies has exactly one entry per rule (created or updated in place); one that no
    longer qualifies has its entry withdrawn (and approved again if it qualifies later). When the
    record is deleted, its approved entries stay, as they were, marked `source_deleted` (they count
    in self-reports and the rating); withdrawn ones, counted nowhere, go. Returns the entries that
    exist for it.
    """
    rules = SOURCE_RULES[source._meta.label_lower]
    if deleted:
        derived = PortfolioEntry.objects.filter(
            source_type__in=[key for key, _rule in rules], source_id=source.pk
        )
        derived.exclude(status=EntryStatus.APPROVED).delete()
        if derived.filter(status=EntryStatus.APPROVED, source_deleted=False).update(
            source_deleted=True, updated_at=timezone.now()
        ):
            bump_public_pages()  # an update() sends no post_save; a mini-site may show the entries
        return list(derived)
    entries = [_entry_sync(key=key, source_id=source.pk, wanted=rule(source)) for key, rule in rules]
    return [entry for entry in entries if entry is not None]


def entries_kept_on_delete(objs) -> list[PortfolioEntry]:
    """The approved entries that deleting `objs` (staff or event records, any model) would leave
    without their source: derived from the objects or from any record their deletion cascades to.
    For the admin's delete confirmation; entries deleted with their teacher are not among them."""
    collector = NestedObjects(using="default")
    collector.collect(list(objs))
    keys = []
    for model, instances in collector.data.items():
        for key, _rule in SOURCE_RULES.get(model._meta.label_lower, []):
            keys.append(Q(source_type=key, source_id__in=[obj.pk for obj in instances]))
    if not keys:
        return []
    doomed_teachers = [obj.pk for obj in collector.data.get(Employee, [])]
    entries = PortfolioEntry.objects.filter(
        reduce(or_, keys), status=EntryStatus.APPROVED, source_deleted=False
    )
    return list(
        entries.exclude(teacher__in=doomed_teachers).select_related("teacher").order_by("teacher", "date")
    )


def entries_sync_for_event(*, event) -> int:
    """Bring the entries derived from attendance at `event` (and from sharing its experience) in line
    with the event itself (its title, date, level, organizer or cancellation changed); returns how
    many participations were synced.

    Two queries when nothing an entry shows has changed, whatever the number of participants; only
    the participations whose entry disagrees go through `entries_sync_for_source`.
    """
    rules = SOURCE_RULES[Participation._meta.label_lower]
    participations = Participation.objects.filter(event=event)
    entries = {
        (entry.source_type, entry.source_id): entry
        for entry in PortfolioEntry.objects.filter(
            source_type__in=[key for key, _rule in rules], source_id__in=participations.values("pk")
        )
    }
    synced = 0
    for participation in participations.select_related("event__organizer"):
        in_line = True
        for key, rule in rules:
            wanted = rule(participation)
            entry = entries.get((key, participation.pk))
            if wanted is None:
                in_line &= entry is None or entry.status == EntryStatus.WITHDRAWN
            else:
                in_line &= (
                    entry is not None
                    and (
                        entry.status != EntryStatus.WITHDRAWN
                        if key in REVIEWED_SOURCES
                        else entry.status == EntryStatus.APPROVED
                    )
                    and _agrees(entry, wanted)
                )
        if not in_line:
            entries_sync_for_source(source=participation)
            synced += 1
    return synced


def entries_sync_all() -> int:
    """Derive the entries of every staff (and event) record on file; returns how many records were seen."""
    count = 0
    for source in [
        *Training.objects.all(),
        *CategoryDecision.objects.all(),
        *Participation.objects.select_related("event__organizer"),
    ]:
        entries_sync_for_source(source=source)
        count += 1
    return count


def entries_sync_for_sources(*, sources) -> int:
    """What `entries_sync_for_source` does for each of many staff or event records (the staff
    import's bulk writes), in a fixed number of queries whatever their number: the entries read in
    one, then written in bulk. The check constraints are left to the database. Returns how many
    entries were created or changed."""
    wanted = {}  # (source key, source id) -> the entry's fields, or None
    for source in sources:
        for key, rule in SOURCE_RULES[source._meta.label_lower]:
            wanted[key, source.pk] = rule(source)
    if not wanted:
        return 0
    ids_by_key = {}
    for key, source_id in wanted:
        ids_by_key.setdefault(key, []).append(source_id)
    now = timezone.now()
    with transaction.atomic():
        stored = PortfolioEntry.objects.select_for_update().filter(
            reduce(or_, (Q(source_type=key, source_id__in=ids) for key, ids in ids_by_key.items()))
        )
        stored = {(entry.source_type, entry.source_id): entry for entry in stored}
        new, changed, changes = [], [], []
        for (key, source_id), fields in wanted.items():
            entry, save, change = _entry_agree(
                stored.get((key, source_id)), key=key, source_id=source_id, wanted=fields, now=now
            )
            if save:
                if fields is not None:  # a withdrawal changes the status alone, as in _entry_sync
                    entry.full_clean(exclude=["teacher"], validate_unique=False, validate_constraints=False)
                entry.updated_at = now
                (changed if entry.pk else new).append(entry)
            if change:
                changes.append((entry, change))
        PortfolioEntry.objects.bulk_create(new, batch_size=1000)
        fields = sorted({field for fields in wanted.values() if fields for field in fields})
        PortfolioEntry.objects.bulk_update(
            changed,
            [*fields, "status", "approved_at", "submitted_at", "approved_by", "updated_at"],
            batch_size=1000,
        )
        StatusChange.objects.bulk_create(
            [StatusChange(entry=entry, from_status=old, to_status=to) for entry, (old, to) in changes],
            batch_size=1000,
        )
    return len(new) + len(changed)
