"""Access-matrix rows for portfolios (collected by tests/test_access_matrix.py).

A teacher never reaches another teacher's entry or file; anonymous sees only files of approved,
public entries on a published mini-site (anything else is a 404, indistinguishable from missing).
"""

from django.urls import reverse

from staff.access import staff_record
from tests.portfolios.factories import EntryFactory, approved_entry, published_site, with_file

SIGNED_IN_ONLY = dict(anonymous=302, anna=200, boris=200, head=404, senior=404)
TEACHER_OWN = dict(anonymous=302, anna=200, boris=404, head=404, senior=404)
READ_OWN = dict(anonymous=302, anna=200, boris=404, head=200, senior=200)
# Only the owner shows or hides her entry; a GET (no change) sends her back to the entry.
OWNER_ACTION = dict(anonymous=302, anna=302, boris=404, head=404, senior=404)
# GET on a POST-only action: refused before any lookup; POST access is tested in test_views.py.
POST_OWN = dict(anonymous=302, anna=405, boris=405, head=405, senior=405)
PRIVATE_FILE = dict(anonymous=404, anna=200, boris=404, head=200, senior=200)
PUBLIC_FILE = dict(anonymous=200, anna=200, boris=200, head=200, senior=200)
SENIOR_ONLY = dict(anonymous=302, anna=403, boris=403, head=403, senior=200)
ADMIN_READ = dict(anonymous=302, anna=302, boris=302, head=200, senior=200)
ADMIN_WRITE = dict(anonymous=302, anna=302, boris=302, head=403, senior=200)


def _anna_draft(personas):
    return EntryFactory(teacher=staff_record(personas["anna"]))


def _entry_url(name):
    def build(personas):
        return reverse(name, args=[_anna_draft(personas).pk])

    build.__name__ = f"anna_draft_{name.split(':')[1]}"
    return build


def _anna_private_file(personas):
    return reverse("portfolios:evidence_file", args=[with_file(_anna_draft(personas)).pk])


def _anna_private_thumb(personas):
    return reverse("portfolios:evidence_thumbnail", args=[with_file(_anna_draft(personas)).pk])


def _anna_public_file(personas):
    teacher = staff_record(personas["anna"])
    published_site(teacher, slug="anna")
    return reverse("portfolios:evidence_file", args=[with_file(approved_entry(teacher)).pk])


def _anna_public_thumb(personas):
    teacher = staff_record(personas["anna"])
    published_site(teacher, slug="anna")
    return reverse("portfolios:evidence_thumbnail", args=[with_file(approved_entry(teacher)).pk])


def _anna_approved_unpublished_file(personas):
    teacher = staff_record(personas["anna"])
    return reverse("portfolios:evidence_file", args=[with_file(approved_entry(teacher)).pk])


def _anna_file_delete(personas):
    return reverse("portfolios:evidence_delete", args=[with_file(_anna_draft(personas)).pk])


def _anna_site(personas):
    published_site(staff_record(personas["anna"]), slug="anna")
    return reverse("site:page", args=["anna"])


def _anna_site_photo(personas):
    from django.core.files.base import ContentFile

    from tests.portfolios.factories import jpeg_bytes

    teacher = staff_record(personas["anna"])
    teacher.photo.save("a.jpg", ContentFile(jpeg_bytes()), save=True)
    published_site(teacher, slug="anna")
    return reverse("site:photo", args=["anna"])


def _admin_entry_change(personas):
    return reverse("admin:portfolios_portfolioentry_change", args=[_anna_draft(personas).pk])


ROWS = [
    ("portfolios:my_portfolio", "/portfolio/", SIGNED_IN_ONLY),
    ("portfolios:entry_add", "/portfolio/entries/add/", SIGNED_IN_ONLY),
    ("portfolios:carry", "/portfolio/entries/carry/", SIGNED_IN_ONLY),
    ("portfolios:entry_detail", _entry_url("portfolios:entry_detail"), READ_OWN),
    ("portfolios:entry_edit", _entry_url("portfolios:entry_edit"), TEACHER_OWN),
    ("portfolios:entry_submit", _entry_url("portfolios:entry_submit"), POST_OWN),
    ("portfolios:entry_delete", _entry_url("portfolios:entry_delete"), POST_OWN),
    ("portfolios:entry_visibility", _entry_url("portfolios:entry_visibility"), OWNER_ACTION),
    ("portfolios:evidence_file", _anna_private_file, PRIVATE_FILE),
    ("portfolios:evidence_file", _anna_approved_unpublished_file, PRIVATE_FILE),
    ("portfolios:evidence_file", _anna_public_file, PUBLIC_FILE),
    ("portfolios:evidence_thumbnail", _anna_private_thumb, PRIVATE_FILE),
    ("portfolios:evidence_thumbnail", _anna_public_thumb, PUBLIC_FILE),
    ("portfolios:evidence_delete", _anna_file_delete, POST_OWN),
    ("portfolios:review", "/portfolio/review/", SENIOR_ONLY),
    ("portfolios:review_decide", "/portfolio/review/decide/", dict(SENIOR_ONLY, senior=405)),
    ("portfolios:minisite_edit", "/portfolio/mini-site/", SIGNED_IN_ONLY),
    ("site:index", "/t/", PUBLIC_FILE),
    ("site:page", _anna_site, PUBLIC_FILE),
    ("site:page", "/t/nobody/", dict(anonymous=404, anna=404, boris=404, head=404, senior=404)),
    ("site:photo", _anna_site_photo, PUBLIC_FILE),
    ("admin:portfolios_portfolioentry_changelist", "/admin/portfolios/portfolioentry/", ADMIN_READ),
    ("admin:portfolios_portfolioentry_change", _admin_entry_change, ADMIN_READ),
    ("admin:portfolios_portfolioentry_add", "/admin/portfolios/portfolioentry/add/", ADMIN_WRITE),
    ("admin:portfolios_minisite_changelist", "/admin/portfolios/minisite/", ADMIN_READ),
]
