from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kindergarten_portal.access.employment import has_left_a_kindergarten
from kindergarten_portal.access.roles import is_senior_educator, role_required
from kindergarten_portal.caching.pagecache import cached_public_page
from kindergarten_portal.files.media import NO_STORE, PRIVATE, file_response
from kindergarten_portal.lists.pagination import page_of
from kindergarten_portal.tenancy import public_list, public_page
from staff.academic import AcademicYear
from staff.access import self_service_teacher

from .access import (
    get_entry_for_user,
    get_evidence_for_user,
    get_own_entry,
    get_own_evidence,
    get_published_minisite,
)
from .forms import BulkReviewForm, EntryForm, MiniSiteForm, ReturnForm, suggested_slug
from .models import EntryStatus, MiniSite
from .selectors import (
    earlier_entries,
    minisite_public_entries,
    minisite_teacher,
    minisites_published,
    portfolio_of,
    portfolio_years,
    review_queue,
    sharing_account_of,
)
from .services import (
    entries_carry,
    entries_review,
    entry_create,
    entry_delete,
    entry_set_public,
    entry_submit,
    entry_update,
    evidence_delete,
    minisite_save,
)

REVIEW_PAGE_SIZE = 20  # entries with their scans per page of the review queue
CARRY_PAGE_SIZE = 50  # entries of her earlier kindergartens per page


# ---------------------------------------------------------------- the teacher's portfolio


@login_required
def my_portfolio(request):
    teacher = self_service_teacher(request.user)
    years = portfolio_years(teacher=teacher)
    try:
        year = AcademicYear.from_label(request.GET.get("year", ""))
    except ValueError:
        year = AcademicYear.current()
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    groups = portfolio_of(teacher=teacher, year=year)
    for _item, entries in groups:
        for entry in entries:  # each row's link worked out once, not in the template
            entry.url = reverse("portfolios:entry_detail", args=[entry.pk])
    site = MiniSite.objects.filter(teacher=teacher).first()
    return render(
        request,
        "portfolios/my_portfolio.html",
        {
            "teacher": teacher,
            "years": years,
            "year": year,
            "groups": groups,
            "site": site,
            "has_earlier": has_left_a_kindergarten(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request):
    teacher = self_service_teacher(request.user)
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        teacher=teacher,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        entry = entry_create(
            teacher=teacher, data=form.cleaned_data, files=form.checked_files, by=request.user
        )
        messages.success(request, _("The entry is saved as a draft. Check it and submit it for review."))
        return redirect("portfolios:entry_detail", pk=entry.pk)
    return render(request, "portfolios/entry_form.html", {"form": form, "entry": None})


@login_required
def entry_detail(request, pk):
    entry = get_entry_for_user(request.user, pk)
    is_owner = entry.teacher.user_id == request.user.pk
    return render(
        request,
        "portfolios/entry_detail.html",
        {
            "entry": entry,
            "is_owner": is_owner,
            "files": entry.evidence_files.select_related("duplicate_of__entry"),
            "history": entry.status_changes.select_related("by"),
            "can_review": is_senior_educator(request.user) and entry.status == EntryStatus.SUBMITTED,
            "return_form": ReturnForm(),
            "sharing_account": sharing_account_of(entry=entry),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    entry = get_own_entry(request.user, pk)
    if not entry.is_editable:
        messages.error(request, _("This entry can no longer be changed."))
        return redirect("portfolios:entry_detail", pk=entry.pk)
    form = EntryForm(request.POST or None, request.FILES or None, instance=entry, teacher=entry.teacher)
    if request.method == "POST" and form.is_valid():
        try:
            entry_update(entry=entry, data=form.cleaned_data, files=form.checked_files, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The entry is saved."))
        return redirect("portfolios:entry_detail", pk=entry.pk)
    files = entry.evidence_files.all()
    return render(request, "portfolios/entry_form.html", {"form": form, "entry": entry, "files": files})


@login_required
@require_POST
def entry_submit_view(request, pk):
    entry = get_own_entry(request.user, pk)
    try:
        entry_submit(entry=entry, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The entry is sent to the senior educator for review."))
    return redirect("portfolios:entry_detail", pk=entry.pk)


@login_required
@require_POST
def entry_delete_view(request, pk):
    entry = get_own_entry(request.user, pk)
    try:
        entry_delete(entry=entry, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portfolios:entry_detail", pk=entry.pk)
    messages.success(request, _("The entry is deleted."))
    return redirect(f"{reverse('portfolios:my_portfolio')}?year={entry.academic_year}")


@login_required
def entry_visibility(request, pk):
    """Show or hide the owner's entry on her mini-site (POST); also on derived and locked entries."""
    entry = get_own_entry(request.user, pk)
    if request.method == "POST":
        entry = entry_set_public(entry=entry, by=request.user, is_public=request.POST.get("is_public") == "1")
        if entry.is_public and entry.status == EntryStatus.APPROVED:
            messages.success(request, _("The entry is shown on your mini-site."))
        elif entry.is_public:
            messages.success(request, _("The entry will be shown on your mini-site once approved."))
        else:
            messages.success(request, _("The entry is hidden from your mini-site."))
    return redirect("portfolios:entry_detail", pk=entry.pk)


@login_required
@require_POST
def evidence_delete_view(request, pk):
    evidence = get_own_evidence(request.user, pk)
    try:
        evidence_delete(evidence=evidence, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portfolios:entry_detail", pk=evidence.entry_id)
    messages.success(request, _("The file is removed."))
    return redirect("portfolios:entry_edit", pk=evidence.entry_id)


# ---------------------------------------------------------------- evidence files (access-checked)


def _cache(evidence):
    # Scans of pupils' results name children: no copy stays in a shared computer's cache.
    return NO_STORE if evidence.entry.evidence_is_private else PRIVATE


def evidence_file(request, pk):
    """The file itself: to its owner, the senior educator and the head; to anyone once public."""
    evidence = get_evidence_for_user(request.user, pk)
    name = evidence.original_name or evidence.file.name.rsplit("/", 1)[-1]
    return file_response(
        evidence.file, content_type=evidence.content_type, filename=name, cache=_cache(evidence)
    )


def evidence_thumbnail(request, pk):
    evidence = get_evidence_for_user(request.user, pk)
    if not evidence.thumbnail:
        raise Http404
    return file_response(
        evidence.thumbnail,
        content_type="image/jpeg",
        filename=f"thumbnail-{evidence.pk}.jpg",
        cache=_cache(evidence),
    )


# ---------------------------------------------------------------- review by the senior educator


@role_required(is_senior_educator)
def review(request):
    page = page_of(request, review_queue(), REVIEW_PAGE_SIZE)
    return render(
        request,
        "portfolios/review_queue.html",
        {"entries": list(page), "page_obj": page, "return_form": ReturnForm()},
    )


@role_required(is_senior_educator)
@require_POST
def review_decide(request):
    """Approve or return one entry or many; each is decided on its own."""
    form = BulkReviewForm(request.POST, queryset=review_queue())
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(next_url or "portfolios:review")
    approve = form.cleaned_data["action"] == BulkReviewForm.APPROVE
    done, refused = entries_review(
        entries=form.cleaned_data["entries"],
        reviewer=request.user,
        approve=approve,
        comment=form.cleaned_data["comment"],
    )
    # One message per refusal: when nothing was done, the refusal alone says so.
    if done and approve:
        messages.success(request, _("Approved: %(count)d.") % {"count": done})
    elif done:
        messages.success(request, _("Returned to the teachers: %(count)d.") % {"count": done})
    if refused:
        messages.error(
            request,
            _("Not changed (no longer waiting for review): %(titles)s.")
            % {"titles": ", ".join(e.title for e in refused)},
        )
    return redirect(next_url or "portfolios:review")


# ---------------------------------------------------------------- the mini-site


@login_required
@require_http_methods(["GET", "POST"])
def carry(request):
    """A teacher who moved carries chosen approved entries of the kindergartens she left to her
    portfolio here, confirmed by them (no second review). Only her own earlier entries are listed
    and accepted; an entry carried before cannot be chosen again."""
    teacher = self_service_teacher(request.user)
    entries = earlier_entries(teacher=teacher)
    if request.method == "POST":
        chosen = {int(value) for value in request.POST.getlist("entry") if value.isdigit()}
        mine = list(entries.filter(pk__in=chosen))
        if len(mine) != len(chosen):
            raise Http404  # not one of her earlier entries
        picked = [entry for entry in mine if not entry.carried]
        if not chosen:
            messages.error(request, _("Choose the entries to carry."))
        elif not picked:
            messages.info(request, _("These entries are in your portfolio already."))
        else:
            entries_carry(teacher=teacher, entries=picked, by=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)d entry carried to your portfolio.",
                    "%(count)d entries carried to your portfolio.",
                    len(picked),
                )
                % {"count": len(picked)},
            )
            return redirect("portfolios:carry")
    page = page_of(request, entries, CARRY_PAGE_SIZE)
    return render(request, "portfolios/carry.html", {"teacher": teacher, "page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def minisite_edit(request):
    teacher = self_service_teacher(request.user)
    site = MiniSite.objects.filter(teacher=teacher).first()
    instance = site or MiniSite(teacher=teacher, slug=suggested_slug(teacher))
    was_published = bool(site and site.published)
    form = MiniSiteForm(request.POST or None, instance=instance)
    if request.method == "POST" and "withdraw" in request.POST and site is not None:
        # Withdrawing the consent needs nothing else from the form: the page goes at once.
        site = minisite_save(
            teacher=teacher,
            by=request.user,
            data={**{key: getattr(site, key) for key in form._meta.fields}, "published": False},
            consent=False,
        )
        messages.success(request, _("Your consent is withdrawn; the mini-site is no longer published."))
        return redirect("portfolios:minisite_edit")
    if request.method == "POST" and form.is_valid():
        try:
            site = minisite_save(
                teacher=teacher, by=request.user, data=form.cleaned_data, consent=form.cleaned_data["consent"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if site.published and was_published:
                messages.success(request, _("Your changes are saved; the mini-site stays published."))
            elif site.published:
                messages.success(request, _("Your mini-site is published."))
            elif was_published:
                messages.success(
                    request, _("Your consent is withdrawn; the mini-site is no longer published.")
                )
            else:
                messages.success(request, _("Your mini-site is saved; it is not published."))
            return redirect("portfolios:minisite_edit")
    return render(request, "portfolios/minisite_form.html", {"form": form, "site": site})


@cached_public_page()
@public_list
def site_index(request):
    return render(request, "portfolios/site_index.html", {"sites": list(minisites_published())})


@public_page
@cached_public_page()
def site_page(request, slug):
    site = get_published_minisite(slug)
    teacher = minisite_teacher(site=site)
    years = minisite_public_entries(teacher=teacher) if site.show_achievements else []
    return render(request, "portfolios/site_page.html", {"site": site, "teacher": teacher, "years": years})


@public_page
def site_photo(request, slug):
    site = get_published_minisite(slug)
    if not (site.show_photo and site.teacher.photo):
        raise Http404
    return file_response(site.teacher.photo, content_type="image/jpeg", filename=f"{site.slug}.jpg")
