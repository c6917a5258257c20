"""End to end on a phone: a teacher uploads a diploma photo and submits it; the senior educator
approves it; it appears on her published mini-site."""

import io

import pytest
from PIL import Image

from portfolios.models import EntryStatus, PortfolioEntry
from staff.access import staff_record
from tests.browser_steps import assert_accessible
from tests.factories import PASSWORD
from tests.portfolios.factories import published_site

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.django_db(transaction=True)
def test_phone_upload_submit_approve_and_publish(page, live_server, anna, senior, tmp_path):
    published_site(staff_record(anna), slug="antonova")
    photo = tmp_path / "diploma.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (250, 240, 200)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, "anna")
    page.goto(f"{live_server.url}/portfolio/entries/add/")
    assert_accessible(page)
    page.select_option("#id_item", "3.3")
    page.select_option("#id_kind", "competition_result")
    page.fill("#id_title", "Диплом победителя конкурса «Воспитатель года»")
    page.fill("#id_date", "2025-11-20")
    page.select_option("#id_level", "municipal")
    page.select_option("#id_result", "winner")
    page.set_input_files("#id_files", str(photo))
    page.click("[data-test=save]")

    # The preview shows the uploaded photo's thumbnail; then she submits.
    page.wait_for_selector("[data-test=evidence] img")
    assert_accessible(page)
    page.click("[data-test=submit-entry]")
    page.wait_for_selector("[data-test=status]")
    entry = PortfolioEntry.objects.get()
    assert entry.status == EntryStatus.SUBMITTED and entry.evidence_files.count() == 1
    page.context.clear_cookies()

    _sign_in(page, live_server, "senior")
    page.goto(f"{live_server.url}/portfolio/review/")
    assert page.locator("[data-test=queue-entry]").count() == 1
    page.click(f"[data-test=approve-{entry.pk}]")
    page.wait_for_selector("[data-test=queue-entry]", state="detached")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED and entry.approved_by == senior
    page.context.clear_cookies()

    page.goto(f"{live_server.url}/t/antonova/")
    assert_accessible(page)
    item = page.locator("[data-test=public-entry]")
    assert item.count() == 1
    assert "Диплом победителя конкурса «Воспитатель года»" in item.inner_text()
    thumb = item.locator("img")
    thumb.wait_for()
    assert page.evaluate("(img) => img.naturalWidth", thumb.element_handle()) > 0
