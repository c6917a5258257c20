"""Writes with rules for portfolios made by people: entries and their status workflow, evidence
files, and the teacher's mini-site. Entries derived from staff and event records are written by
`derived.py`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindergarten_portal.access.roles import is_senior_educator

from .derived import REVIEWED_SOURCES
from .files import CheckedFile
from .models import (
    MINISITE_CONSENT_VERSION,
    EntryStatus,
    EvidenceFile,
    MiniSite,
    PortfolioEntry,
    StatusChange,
)

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
    # A derived entry follows its record; only one resting on the teacher's word is reviewed.
    if who is None or (entry.source_type and not (who == REVIEWER and entry.source_type in REVIEWED_SOURCES)):
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
    evidence.delete()  # its file and thumbnail leave storage on commit (receivers.py)


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
        locked.delete()  # its files leave storage on commit (receivers.py)


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


# ---------------------------------------------------------------- mini-site


@transaction.atomic
def entries_carry(*, teacher, entries, by) -> list[PortfolioEntry]:
    """Carry chosen approved entries of her earlier staff records (`selectors.earlier_entries`) to
    `teacher`, her current record, as the product owner decided: approved without a second review,
    marked with the kindergarten that verified them (`confirmed_by`); their files are named, not
    copied (a stored file stays while any row names it). An entry carried before is left out.
    Returns the new entries."""
    carried = []
    for original in entries:
        if (
            original.teacher.user_id != teacher.user_id
            or original.teacher_id == teacher.pk
            or original.status != EntryStatus.APPROVED
            or getattr(original, "carried", False)
        ):
            raise PermissionDenied
        verifier = original.confirmed_by or original.teacher.organization
        copy = PortfolioEntry(
            teacher=teacher,
            **{name: getattr(original, name) for name in ENTRY_FIELDS},
            status=EntryStatus.APPROVED,
            submitted_at=original.submitted_at,
            approved_at=original.approved_at,
            confirmed_by=verifier,
            carried_from=original,
        )
        copy.save()
        StatusChange.objects.create(
            entry=copy,
            from_status="",
            to_status=EntryStatus.APPROVED,
            by=by,
            comment=_("Carried from %(kindergarten)s, where it was confirmed.")
            % {"kindergarten": verifier.name},
        )
        EvidenceFile.objects.bulk_create(
            EvidenceFile(
                entry=copy,
                file=evidence.file.name,
                thumbnail=evidence.thumbnail.name,
                content_type=evidence.content_type,
                original_name=evidence.original_name,
                size=evidence.size,
                sha256=evidence.sha256,
            )
            for evidence in EvidenceFile._base_manager.filter(entry=original).order_by("pk")
        )
        carried.append(copy)
    return carried


def minisite_save(*, teacher, by, data: dict, consent: bool, now=None) -> MiniSite:
    """Create or change the teacher's mini-site and return it.

    Publishing is dissemination of personal data (152-FZ art. 10.1): it needs her consent to the
    current consent text for the parts she ticked, recorded with that text's version and the time
    (again whenever the parts or the text change). Unpublishing, or publishing without the consent
    ticked, unpublishes at once and clears the consent, so publishing again asks again.
    """
    if teacher.user_id is None or teacher.user_id != by.pk:
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        site = MiniSite.objects.select_for_update().filter(teacher=teacher).first() or MiniSite(
            teacher=teacher
        )
        parts_before = [getattr(site, part) for part in MiniSite.PARTS]
        for key in ("slug", "about", "credo", *MiniSite.PARTS):
            setattr(site, key, data[key])
        if data["published"] and consent:
            if (
                not site.published
                or site.consent_text_version != MINISITE_CONSENT_VERSION
                or parts_before != [getattr(site, part) for part in MiniSite.PARTS]
            ):
                site.consent_at, site.consent_text_version = now, MINISITE_CONSENT_VERSION
            site.published = True
        elif data["published"] and not site.published:
            raise ValidationError(
                {"consent": _("Publishing needs your consent to show this information publicly.")}
            )
        else:  # unpublished, or the consent withdrawn: off the web at once
            site.published, site.consent_at, site.consent_text_version = False, None, ""
        site.full_clean(exclude=["teacher"])
        site.save()
    return site
