"""What each user may see of portfolios, enforced in the query: someone else's entry or file is a 404.

Rules: the owner, the senior educator and the head see every entry and file of a teacher; anyone,
signed in or not, sees an entry and its files only when it is approved, public, and the teacher's
mini-site is published with her consent to show achievements; a dismissed teacher's mini-site and public files are no longer public.
Scans of pupils' results (item 4) carry children's names: their files are never public.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from kindergarten_portal.access.roles import can_read_everything
from staff.access import current_teacher, self_service_teacher, staff_record
from staff.models import Employee

from .models import EntryKind, EntryStatus, EvidenceFile, MiniSite, PortfolioEntry, ReportItem


def public_q(prefix=""):
    """Entries (or, with prefix "entry__", files) anyone may see."""
    return Q(
        **{
            f"{prefix}status": EntryStatus.APPROVED,
            f"{prefix}is_public": True,
            f"{prefix}teacher__minisite__published": True,
            f"{prefix}teacher__minisite__show_achievements": True,
            # Public across the city: a public page of another kindergarten is public to her too.
            f"{prefix}teacher__in": Employee.objects.with_scopes_disabled().current(),
        }
    )


def pupils_result_q(prefix=""):
    """Entries (or, with prefix "entry__", files) of pupils' results, whose scans name children."""
    return Q(**{f"{prefix}item": ReportItem.PUPILS}) | Q(**{f"{prefix}kind": EntryKind.PUPILS_RESULT})


def entries_visible_to(user):
    """Every entry for the office; her own for a current teacher (a dismissed one gets a 403)."""
    if can_read_everything(user):
        return PortfolioEntry.objects.all()
    if staff_record(user) is not None:
        return PortfolioEntry.objects.filter(teacher=self_service_teacher(user))
    return PortfolioEntry.objects.none()


def get_entry_for_user(user, pk):
    """An entry the user may read (owner, senior educator, head), else 404."""
    return get_object_or_404(entries_visible_to(user).select_related("teacher"), pk=pk)


def get_own_entry(user, pk):
    """An entry of the signed-in current teacher herself, else 404 (the only one she may change)."""
    if not user.is_authenticated:
        raise Http404
    teacher = self_service_teacher(user)
    return get_object_or_404(PortfolioEntry.objects.select_related("teacher"), pk=pk, teacher=teacher)


def evidence_visible_to(user):
    """Her kindergarten's files for the office, her own for a teacher, and public ones to anyone:
    the public part read city-wide (another kindergarten's public file is public to her too)."""
    visible = public_q("entry__") & ~pupils_result_q("entry__")
    if can_read_everything(user):
        visible |= Q(pk__in=EvidenceFile.objects.values("pk"))  # the request's scope: her kindergarten
    else:
        # A dismissed teacher sees public files like anyone (others' mini-sites), her own no longer.
        teacher = current_teacher(user)
        if teacher is not None:
            visible |= Q(entry__teacher=teacher)
    return EvidenceFile.objects.with_scopes_disabled().filter(visible)


def get_evidence_for_user(user, pk):
    return get_object_or_404(evidence_visible_to(user).select_related("entry__teacher"), pk=pk)


def get_own_evidence(user, pk):
    if not user.is_authenticated:
        raise Http404
    teacher = self_service_teacher(user)
    return get_object_or_404(
        EvidenceFile.objects.select_related("entry__teacher"), pk=pk, entry__teacher=teacher
    )


def get_published_minisite(slug):
    """A published mini-site of a current teacher, else 404: an unpublished page, or a dismissed
    teacher's, is as unreachable as a missing one."""
    return get_object_or_404(
        MiniSite.objects.select_related("teacher"),
        slug=slug,
        published=True,
        teacher__in=Employee.objects.current(),
    )
