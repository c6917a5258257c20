from django.utils import timezone

from portfolios import demo
from portfolios.models import MINISITE_CONSENT_VERSION, EntryStatus, EvidenceFile, MiniSite, PortfolioEntry
from staff import demo as staff_demo


def test_demo_has_every_status_and_published_sites_and_is_idempotent(db):
    today = timezone.localdate()
    teachers = staff_demo.build(today=today)
    demo.build(today=today, teachers=teachers)
    counts = (PortfolioEntry.objects.count(), EvidenceFile.objects.count(), MiniSite.objects.count())
    demo.build(today=today, teachers=teachers)
    assert (PortfolioEntry.objects.count(), EvidenceFile.objects.count(), MiniSite.objects.count()) == counts
    statuses = set(PortfolioEntry.objects.values_list("status", flat=True))
    assert {EntryStatus.APPROVED, EntryStatus.SUBMITTED, EntryStatus.RETURNED, EntryStatus.DRAFT} <= statuses
    assert MiniSite.objects.filter(published=True).count() == 5
    # Each published site with the version of the consent text she agreed to («версия текста 2»).
    assert set(MiniSite.objects.filter(published=True).values_list("consent_text_version", flat=True)) == {
        MINISITE_CONSENT_VERSION
    }
    # Courses and attestation decisions of the staff records are in the portfolios too.
    # The seed's 20 teachers' courses and that of the one on child-care leave.
    assert PortfolioEntry.objects.filter(source_type="staff.training").count() == 21
