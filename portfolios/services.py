"""Writes with rules for portfolios: entries and their status workflow, evidence files,
entries derived from staff and event records, and mini-sites."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
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
from kindergarten_portal.roles import is_senior_educator
from staff.models import Category, CategoryDecision, Training, TrainingKind

from .files import CheckedFile
from .models import EntryKind, EntryStatus, EvidenceFile, MiniSite, PortfolioEntry, ReportItem, StatusChange

# Who may move an entry from one status to another: the teacher who owns it, or the reviewer.
OWNER, REVIEWER = "owner", "reviewer"
TRANSITIONS = {
    (EntryStatus.DRAFT, EntryStatus.SUBMITTED): OWNER,
    (EntryStatus.RETURNED, EntryStatus.SUBMITTED): OWNER,
    (EntryStatus.SUBMITTED, EntryStatus.APPROVED): REVIEWER,
    (EntryStatus.SUBMITTED, EntryStatus.RETURNED): REVIEWER,
}

ENTRY_FIELDS = [
    "item",
    "kind",
    "title",
    "date",
    "level",
    "result",
    "organizer",
    "hours",
    "pupils_count",
    "competition",
    "is_public",
]


def _locked(entry):
    return PortfolioEntry.objects.select_for_update().select_related("teacher").get(pk=entry.pk)


def _transition(*, entry, to_status, by, comment="", notify=False):
    """Move a (locked) entry to `to_status` if the workflow allows it and `by` may do it."""
    who = TRANSITIONS.get((entry.status, to_status))
    if who is None or entry.source_type:
        raise ValidationError(
            _("An entry that is «%(from)s» cannot become «%(to)s».")
            % {"from": EntryStatus(entry.status).label, "to": EntryStatus(to_status).label},
            code="transition",
        )
    if who == OWNER and (entry.teacher.user_id is None or entry.teacher.user_id != by.pk):
        raise PermissionDenied
    if who == REVIEWER and not is_senior_educator(by):
        raise PermissionDenied
    previous, entry.status = entry.status, to_status
    StatusChange.objects.create(
        entry=entry, from_status=previous, to_status=to_status, by=by, comment=comment, notify=notify
    )


# ---------------------------------------------------------------- evidence


def _delete_stored(names, storage):
    for name in names:
        if name:
            storage.delete(name)


def evidence_add(*, entry, checked: CheckedFile, duplicate_of=None) -> EvidenceFile:
    """Store one checked file (and its thumbnail) on an entry; nothing stays on disk if saving fails."""
    evidence = EvidenceFile(
        entry=entry,
        content_type=checked.content_type,
        original_name=checked.original_name[:255],
        size=len(checked.content),
        sha256=checked.sha256,
        duplicate_of=duplicate_of,
    )
    evidence.file.save(f"evidence.{checked.extension}", ContentFile(checked.content), save=False)
    try:
        if checked.thumbnail:
            evidence.thumbnail.save("thumb.jpg", ContentFile(checked.thumbnail), save=False)
        evidence.save()
    except Exception:
        _delete_stored([evidence.file.name, evidence.thumbnail.name], evidence.file.storage)
        raise
    return evidence


def evidence_duplicate_of(*, teacher, sha256):
    """The teacher's earlier file with the same content (for the duplicate warning), or None."""
    files = EvidenceFile.objects.filter(entry__teacher=teacher, sha256=sha256).select_related("entry")
    return files.order_by("pk").first()


def _add_files(entry, files):
    """Store every (checked file, duplicate_of) pair; on failure remove what was already stored."""
    stored = []
    try:
        for checked, duplicate_of in files:
            stored.append(evidence_add(entry=entry, checked=checked, duplicate_of=duplicate_of))
    except Exception:
        for evidence in stored:
            _delete_stored([evidence.file.name, evidence.thumbnail.name], evidence.file.storage)
        raise
    return stored


def evidence_delete(*, evidence, by):
    """Remove a file (and its thumbnail) from the owner's editable entry."""
    entry = evidence.entry
    if entry.teacher.user_id is None or entry.teacher.user_id != by.pk:
        raise PermissionDenied
    if not entry.is_editable:
        raise ValidationError(_("This entry can no longer be changed."), code="locked")
    names = [evidence.file.name, evidence.thumbnail.name]
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: _delete_stored(names, storage))


# ---------------------------------------------------------------- the teacher's entries


def entry_create(*, teacher, data: dict, files=(), by) -> PortfolioEntry:
    """A new draft entry of `teacher` with its checked evidence files (pairs (CheckedFile, duplicate_of))."""
    if teacher.user_id is None or teacher.user_id != by.pk:
        raise PermissionDenied
    entry = PortfolioEntry(teacher=teacher, status=EntryStatus.DRAFT, **{k: data[k] for k in ENTRY_FIELDS})
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        StatusChange.objects.create(entry=entry, from_status="", to_status=EntryStatus.DRAFT, by=by)
        _add_files(entry, files)
    return entry


def entry_update(*, entry, data: dict, files=(), by) -> PortfolioEntry:
    """Change the owner's draft or returned entry and add files; an approved entry is locked."""
    with transaction.atomic():
        locked = _locked(entry)
        if locked.teacher.user_id is None or locked.teacher.user_id != by.pk:
            raise PermissionDenied
        if not locked.is_editable:
            raise ValidationError(_("This entry can no longer be changed."), code="locked")
        for key in ENTRY_FIELDS:
            setattr(locked, key, data[key])
        locked.full_clean()
        locked.save()
        _add_files(locked, files)
    return locked


def entry_delete(*, entry, by):
    """Delete the owner's draft or returned entry with its files."""
    with transaction.atomic():
        locked = _locked(entry)
        if locked.teacher.user_id is None or locked.teacher.user_id != by.pk:
            raise PermissionDenied
        if not locked.is_editable:
            raise ValidationError(_("This entry can no longer be changed."), code="locked")
        names = [n for f in locked.evidence_files.all() for n in (f.file.name, f.thumbnail.name)]
        locked.delete()
        storage = EvidenceFile._meta.get_field("file").storage
        transaction.on_commit(lambda: _delete_stored(names, storage))


def entry_submit(*, entry, by) -> PortfolioEntry:
    """Send the owner's draft or returned entry to the senior educator; it needs evidence."""
    with transaction.atomic():
        locked = _locked(entry)
        if not locked.evidence_files.exists():
            raise ValidationError(_("Attach at least one evidence file before submitting."), code="no_files")
        _transition(entry=locked, to_status=EntryStatus.SUBMITTED, by=by)
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
    return locked


def entry_approve(*, entry, reviewer) -> PortfolioEntry:
    """Approve a submitted entry: it counts, may appear on the mini-site, and is locked for the teacher."""
    with transaction.atomic():
        locked = _locked(entry)
        _transition(entry=locked, to_status=EntryStatus.APPROVED, by=reviewer, notify=True)
        locked.approved_by = reviewer
        locked.approved_at = timezone.now()
        locked.reviewer_comment = ""
        locked.save(update_fields=["status", "approved_by", "approved_at", "reviewer_comment", "updated_at"])
    return locked


def entry_return(*, entry, reviewer, comment: str) -> PortfolioEntry:
    """Return a submitted entry to the teacher with the reviewer's comment (required)."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say what the teacher should correct."), code="no_comment")
    with transaction.atomic():
        locked = _locked(entry)
        _transition(entry=locked, to_status=EntryStatus.RETURNED, by=reviewer, comment=comment, notify=True)
        locked.reviewer_comment = comment
        locked.save(update_fields=["status", "reviewer_comment", "updated_at"])
    return locked


def entries_review(*, entries, reviewer, approve: bool, comment: str = "") -> tuple[int, list]:
    """Approve or return several entries, each on its own; (number done, entries refused)."""
    if not approve and not (comment or "").strip():
        raise ValidationError(_("Say what the teacher should correct."), code="no_comment")
    done, refused = 0, []
    for entry in entries:
        try:
            if approve:
                entry_approve(entry=entry, reviewer=reviewer)
            else:
                entry_return(entry=entry, reviewer=reviewer, comment=comment)
        except ValidationError:
            refused.append(entry)
        else:
            done += 1
    return done, refused


def entry_set_public(*, entry, by, is_public: bool) -> PortfolioEntry:
    """Show or hide the owner's entry on her mini-site; the one thing she may change on a derived or
    locked (submitted, approved) entry. Only approved entries are ever shown publicly."""
    with transaction.atomic():
        locked = _locked(entry)
        if locked.teacher.user_id is None or locked.teacher.user_id != by.pk:
            raise PermissionDenied
        if locked.is_public != is_public:
            locked.is_public = is_public
            locked.save(update_fields=["is_public", "updated_at"])
    return locked


# ---------------------------------------------------------------- entries derived from records


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


def _participation_entry(participation: Participation):
    """Attended a seminar or webinar → 1.6; spoke → 3.1; ran a master class or an open show → 3.2;
    organized → 3.1 as "event organized" (the year-end gratitude list counts these). Nothing for an
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
        kind = EntryKind.MASTER_CLASS if event.format == EventFormat.MASTER_CLASS else EntryKind.OPEN_EVENT
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
        "kind": EntryKind.OPEN_EVENT,
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
# Attestation decisions carry order numbers: private until she chooses to show them.
PUBLIC_BY_DEFAULT = {
    "staff.training": True,
    "staff.categorydecision": False,
    "events.participation": True,
    "events.sharing": True,
}


def _agrees(entry, wanted) -> bool:
    return all(getattr(entry, key) == value for key, value in wanted.items())


def _entry_sync(*, key, source_id, wanted) -> PortfolioEntry | None:
    """Make the entry under (key, source_id) agree with `wanted` (None: withdraw it)."""
    with transaction.atomic():
        entry = (
            PortfolioEntry.objects.select_for_update().filter(source_type=key, source_id=source_id).first()
        )
        if wanted is None:
            if entry is not None and entry.status != EntryStatus.WITHDRAWN:
                previous, entry.status = entry.status, EntryStatus.WITHDRAWN
                entry.save(update_fields=["status", "updated_at"])
                StatusChange.objects.create(entry=entry, from_status=previous, to_status=entry.status)
            return entry
        now = timezone.now()
        if entry is None:
            entry = PortfolioEntry(source_type=key, source_id=source_id, is_public=PUBLIC_BY_DEFAULT[key])
            changed = True
        else:
            changed = not _agrees(entry, wanted)
        for field, value in wanted.items():
            setattr(entry, field, value)
        previous = entry.status if entry.pk else ""
        if previous != EntryStatus.APPROVED:
            entry.status = EntryStatus.APPROVED
            entry.approved_at = now
            changed = True
        if changed:
            entry.full_clean(exclude=["teacher"])
            entry.save()
        if previous != EntryStatus.APPROVED:
            StatusChange.objects.create(entry=entry, from_status=previous, to_status=EntryStatus.APPROVED)
    return entry


def entries_sync_for_source(*, source, deleted: bool = False) -> list[PortfolioEntry]:
    """Make the approved entries derived from a staff or event record agree with it; safe to repeat.

    A record that qualifies has exactly one entry per rule (created or updated in place); one that no
    longer qualifies has its entry withdrawn (and approved again if it qualifies later); a deleted
    record takes its entries with it. Returns the entries that exist for it.
    """
    rules = SOURCE_RULES[source._meta.label_lower]
    if deleted:
        PortfolioEntry.objects.filter(
            source_type__in=[key for key, _rule in rules], source_id=source.pk
        ).delete()
        return []
    entries = [_entry_sync(key=key, source_id=source.pk, wanted=rule(source)) for key, rule in rules]
    return [entry for entry in entries if entry is not None]


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
                    entry is not None and entry.status == EntryStatus.APPROVED and _agrees(entry, wanted)
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


# ---------------------------------------------------------------- mini-site


def minisite_save(*, teacher, by, data: dict, consent: bool) -> MiniSite:
    """Create or change the teacher's mini-site; publishing needs consent, which is recorded once given."""
    if teacher.user_id is None or teacher.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        site = MiniSite.objects.select_for_update().filter(teacher=teacher).first() or MiniSite(
            teacher=teacher
        )
        for key in ("slug", "about", "credo", "show_photo", "published"):
            setattr(site, key, data[key])
        if site.published and site.consent_at is None:
            if not consent:
                raise ValidationError(
                    {"consent": _("Publishing needs your consent to show this information publicly.")}
                )
            site.consent_at = timezone.now()
        site.full_clean(exclude=["teacher"])
        site.save()
    return site
