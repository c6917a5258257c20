import datetime
import re

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse
from django.utils import timezone

from portfolios.models import EntryStatus, EvidenceFile, MiniSite, PortfolioEntry, ReportItem, StatusChange
from portfolios.views import REVIEW_PAGE_SIZE
from staff.academic import AcademicYear
from staff.access import staff_record
from tests.factories import KindergartenGroupFactory, TrainingFactory, UserFactory, teacher_user
from tests.portfolios.factories import (
    PDF_BYTES,
    EntryFactory,
    approved_entry,
    jpeg_bytes,
    published_site,
    submitted_entry,
    upload,
    with_file,
)

DAY = datetime.date(2025, 11, 5)
YEAR = "2025/2026"


def _form(**extra):
    return {
        "item": "3.3",
        "kind": "competition_result",
        "title": "Конкурс «Воспитатель года»",
        "date": "2025-11-05",
        "level": "municipal",
        "result": "prize_winner",
        "organizer": "Управление образования",
        "is_public": "on",
        **extra,
    }


# ---------------------------------------------------------------- the teacher's pages


def test_add_entry_with_photo_then_preview_and_submit(client, anna):
    client.force_login(anna)
    response = client.post(
        "/portfolio/entries/add/", _form(files=[upload("diploma.jpg"), upload("b.pdf", PDF_BYTES)])
    )
    entry = PortfolioEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portfolio/entries/{entry.pk}/"
    assert (entry.teacher, entry.status, entry.result) == (
        staff_record(anna),
        EntryStatus.DRAFT,
        "prize_winner",
    )
    files = list(entry.evidence_files.order_by("content_type"))
    assert [f.content_type for f in files] == ["application/pdf", "image/jpeg"]
    assert files[1].thumbnail and not files[0].thumbnail
    page = client.get(response["Location"]).content.decode()
    assert (
        "Submit for review" in page and reverse("portfolios:evidence_thumbnail", args=[files[1].pk]) in page
    )
    client.post(reverse("portfolios:entry_submit", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_same_file_twice_is_flagged_before_saving(client, anna):
    client.force_login(anna)
    content = jpeg_bytes(color=(1, 2, 3))
    client.post("/portfolio/entries/add/", _form(files=upload("first.jpg", content)))
    response = client.post(
        "/portfolio/entries/add/", _form(title="Ещё раз", files=upload("again.jpg", content))
    )
    page = response.content.decode()
    assert response.status_code == 200 and "is already in your portfolio" in page
    assert "(entry «Конкурс „Воспитатель года“»)" in page  # the earlier entry is named, quotes not nested
    assert PortfolioEntry.objects.count() == 1 and EvidenceFile.objects.count() == 1
    response = client.post(
        "/portfolio/entries/add/",
        _form(title="Ещё раз", files=upload("again.jpg", content), confirm_duplicate="on"),
    )
    assert response.status_code == 302
    second = EvidenceFile.objects.get(entry__title="Ещё раз")
    assert second.duplicate_of == EvidenceFile.objects.get(entry__title="Конкурс «Воспитатель года»")


def test_confirming_a_duplicate_without_the_file_saves_nothing_and_keeps_the_form(client, anna):
    client.force_login(anna)
    content = jpeg_bytes(color=(4, 5, 6))
    client.post("/portfolio/entries/add/", _form(files=upload("first.jpg", content)))
    client.post("/portfolio/entries/add/", _form(title="Ещё раз", files=upload("again.jpg", content)))
    # The warning page came back with an empty file input; she ticks the box and saves.
    response = client.post("/portfolio/entries/add/", _form(title="Ещё раз", confirm_duplicate="on"))
    page = response.content.decode()
    assert response.status_code == 200 and "Choose the file again" in page
    assert PortfolioEntry.objects.count() == 1 and EvidenceFile.objects.count() == 1
    assert "Ещё раз" in page  # what she typed is kept
    form = response.context["form"]
    assert form["confirm_duplicate"].value() is True and 'type="checkbox"' in str(form["confirm_duplicate"])
    response = client.post(
        "/portfolio/entries/add/",
        _form(title="Ещё раз", files=upload("again.jpg", content), confirm_duplicate="on"),
    )
    assert response.status_code == 302
    assert EvidenceFile.objects.get(entry__title="Ещё раз").sha256 == EvidenceFile.objects.first().sha256


def test_same_file_of_another_teacher_is_not_flagged(client, anna, boris):
    content = jpeg_bytes(color=(9, 9, 9))
    with_file(EntryFactory(teacher=staff_record(boris)), content)
    client.force_login(anna)
    assert client.post("/portfolio/entries/add/", _form(files=upload("x.jpg", content))).status_code == 302


def test_returned_entry_shows_comment_and_can_be_edited_and_resubmitted(client, anna):
    entry = EntryFactory(
        teacher=staff_record(anna), status=EntryStatus.RETURNED, reviewer_comment="Добавьте скан"
    )
    with_file(entry)
    client.force_login(anna)
    page = client.get(f"/portfolio/?year={entry.academic_year}").content.decode()
    assert "Добавьте скан" in page and "Returned" in page
    response = client.post(f"/portfolio/entries/{entry.pk}/edit/", _form(title="Исправленная запись"))
    assert response.status_code == 302
    client.post(f"/portfolio/entries/{entry.pk}/submit/")
    entry.refresh_from_db()
    assert (entry.title, entry.status) == ("Исправленная запись", EntryStatus.SUBMITTED)


def test_approved_entry_cannot_be_edited_or_deleted(client, anna):
    entry = approved_entry(staff_record(anna), title="Утверждено")
    client.force_login(anna)
    response = client.post(f"/portfolio/entries/{entry.pk}/edit/", _form(title="Подмена"))
    assert response.status_code == 302
    client.post(f"/portfolio/entries/{entry.pk}/delete/")
    entry.refresh_from_db()
    assert entry.title == "Утверждено"


def test_teacher_cannot_change_or_delete_another_teachers_entry_or_file(client, anna, boris):
    entry = EntryFactory(teacher=staff_record(anna), title="Моя запись")
    evidence = with_file(entry)
    client.force_login(boris)
    assert client.post(f"/portfolio/entries/{entry.pk}/edit/", _form(title="Чужая")).status_code == 404
    assert client.post(f"/portfolio/entries/{entry.pk}/submit/").status_code == 404
    assert client.post(f"/portfolio/entries/{entry.pk}/delete/").status_code == 404
    assert client.post(f"/portfolio/files/{evidence.pk}/delete/").status_code == 404
    assert client.get(f"/portfolio/files/{evidence.pk}/").status_code == 404
    entry.refresh_from_db()
    assert (entry.title, entry.status, entry.evidence_files.count()) == ("Моя запись", EntryStatus.DRAFT, 1)


def test_owner_deletes_draft_file_and_it_leaves_the_disk(
    client, anna, settings, django_capture_on_commit_callbacks
):
    evidence = with_file(EntryFactory(teacher=staff_record(anna)))
    paths = [settings.MEDIA_ROOT / evidence.file.name, settings.MEDIA_ROOT / evidence.thumbnail.name]
    assert all(p.exists() for p in paths)
    client.force_login(anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/portfolio/files/{evidence.pk}/delete/")
    assert response.status_code == 302 and not EvidenceFile.objects.exists()
    assert not any(p.exists() for p in paths)


def test_portfolio_grouped_by_year_and_item(client, anna):
    EntryFactory(teacher=staff_record(anna), title="Прошлый год", date=datetime.date(2025, 5, 1))
    EntryFactory(teacher=staff_record(anna), title="Курсы", item="1.4", kind="course", date=DAY)
    EntryFactory(teacher=staff_record(anna), title="Грамота", date=DAY)
    client.force_login(anna)
    page = client.get(f"/portfolio/?year={YEAR}").content.decode()
    assert "Курсы" in page and "Грамота" in page and "Прошлый год" not in page
    assert page.index("1.4 Course training") < page.index("2 Letters of gratitude")
    assert "2024/2025" in page  # the earlier year can be chosen


@pytest.mark.parametrize("day", ["0001-01-01", "1969-12-31", "9999-12-31"])
def test_entry_date_out_of_range_refused_and_form_kept(client, anna, day):
    client.force_login(anna)
    response = client.post("/portfolio/entries/add/", _form(date=day))
    assert response.status_code == 200 and "date" in response.context["form"].errors
    assert "Конкурс «Воспитатель года»" in response.content.decode()
    assert not PortfolioEntry.objects.exists()


def test_entry_date_bounds_accepted(client, anna):
    client.force_login(anna)
    a_year_ahead = timezone.localdate().replace(year=timezone.localdate().year + 1, day=1)
    for day in ("1970-01-01", a_year_ahead.isoformat()):
        assert client.post("/portfolio/entries/add/", _form(date=day)).status_code == 302
    assert PortfolioEntry.objects.count() == 2


def test_entry_date_bounds_on_29_february():
    from portfolios.models import entry_date_bounds

    assert entry_date_bounds(datetime.date(2028, 2, 29)) == (
        datetime.date(1970, 1, 1),
        datetime.date(2029, 2, 28),
    )


def test_year_selector_lists_only_years_with_entries_and_the_current_one(client, anna):
    # Entries saved before dates were checked: a year 1 date must not yield two thousand options.
    for day in (datetime.date(1, 1, 1), datetime.date(2019, 10, 1), DAY):
        EntryFactory(teacher=staff_record(anna), date=day)
    EntryFactory(teacher=staff_record(anna), date=datetime.date(2021, 10, 1), status=EntryStatus.WITHDRAWN)
    client.force_login(anna)
    response = client.get("/portfolio/")
    assert [year.label for year in response.context["years"]] == sorted(
        {AcademicYear.current().label, "2025/2026", "2019/2020", "0/1"},
        key=lambda label: int(label.split("/")[0]),
        reverse=True,
    )
    assert response.content.decode().count("<option") == len(response.context["years"])


def _many_entries(teacher, n):
    for i in range(n):
        with_file(
            EntryFactory(teacher=teacher, date=DAY, item=["2", "3.3", "1.6"][i % 3]),
            jpeg_bytes(color=(i, 0, 0)),
        )


def test_portfolio_page_constant_queries(client, anna, django_assert_num_queries):
    client.force_login(anna)
    _many_entries(staff_record(anna), 1)
    client.get(f"/portfolio/?year={YEAR}")
    # session, user with her record, her years, the year's entries with their file counts, mini-site
    with django_assert_num_queries(5):
        client.get(f"/portfolio/?year={YEAR}")
    _many_entries(staff_record(anna), 6)
    with_file(PortfolioEntry.objects.filter(teacher=staff_record(anna)).first(), jpeg_bytes(color=(0, 9, 0)))
    with django_assert_num_queries(5):
        response = client.get(f"/portfolio/?year={YEAR}")
    content = response.content.decode()
    assert content.count('data-test="entry"') == 7
    assert content.count("1 file<") == 6 and content.count("2 files<") == 1  # the English msgids (conftest)


# ---------------------------------------------------------------- review


def test_review_queue_oldest_first_with_previews(client, anna, boris, senior):
    older = submitted_entry(staff_record(boris), title="Старая")
    older.submitted_at = timezone.now() - datetime.timedelta(days=3)
    older.save()
    with_file(older)
    with_file(submitted_entry(staff_record(anna), title="Новая"))
    EntryFactory(teacher=staff_record(anna), title="Черновик")
    client.force_login(senior)
    page = client.get("/portfolio/review/").content.decode()
    assert page.index("Старая") < page.index("Новая") and "Черновик" not in page
    assert page.count('data-test="evidence"') == 2


def test_review_queue_constant_queries(client, anna, senior, django_assert_num_queries):
    client.force_login(senior)
    with_file(submitted_entry(staff_record(anna)))
    client.get("/portfolio/review/")
    with django_assert_num_queries(5):  # the page's rows and the count of the whole queue
        client.get("/portfolio/review/")
    for _ in range(5):
        with_file(submitted_entry(staff_record(anna)), jpeg_bytes(color=(_, 5, 5)))
    with django_assert_num_queries(5):
        response = client.get("/portfolio/review/")
    assert response.content.decode().count('data-test="queue-entry"') == 6


def test_review_approve_one_and_return_many(client, anna, boris, senior):
    a, b, c = (submitted_entry(staff_record(t)) for t in (anna, boris, anna))
    client.force_login(senior)
    client.post("/portfolio/review/decide/", {"entries": [a.pk], "action": "approve"})
    response = client.post(
        "/portfolio/review/decide/", {"entries": [b.pk, c.pk], "action": "return", "comment": ""}
    )
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.status == EntryStatus.SUBMITTED  # a return needs a comment
    client.post(
        "/portfolio/review/decide/", {"entries": [b.pk, c.pk], "action": "return", "comment": "Нет печати"}
    )
    statuses = dict(PortfolioEntry.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "approved", b.pk: "returned", c.pk: "returned"}
    a.refresh_from_db()
    assert a.approved_by == senior


def test_teacher_and_head_cannot_review(client, anna, head):
    entry = submitted_entry(staff_record(anna))
    for user in (anna, head):
        client.force_login(user)
        assert (
            client.post("/portfolio/review/decide/", {"entries": [entry.pk], "action": "approve"}).status_code
            == 403
        )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_admin_bulk_actions(client, anna, senior):
    a, b = submitted_entry(staff_record(anna)), submitted_entry(staff_record(anna))
    client.force_login(senior)
    url = "/admin/portfolios/portfolioentry/"
    client.post(url, {"action": "approve_selected", "_selected_action": [a.pk]})
    page = client.post(url, {"action": "return_selected", "_selected_action": [b.pk]})
    assert "What should the teacher correct?" in page.content.decode()
    client.post(url, {"action": "return_selected", "_selected_action": [b.pk], "comment": "Уточните дату"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status, b.reviewer_comment) == ("approved", "returned", "Уточните дату")


# ---------------------------------------------------------------- files


def test_file_served_by_content_type_and_with_x_accel(client, anna, settings):
    evidence = with_file(EntryFactory(teacher=staff_record(anna)))
    client.force_login(anna)
    response = client.get(f"/portfolio/files/{evidence.pk}/")
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    settings.PORTFOLIO_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    response = client.get(f"/portfolio/files/{evidence.pk}/")
    assert response["X-Accel-Redirect"] == f"/protected-media/{evidence.file.name}"
    assert response.content == b""


def test_files_served_sandboxed_and_kept_out_of_shared_caches(client, anna):
    own = with_file(EntryFactory(teacher=staff_record(anna)), PDF_BYTES, name="diploma.pdf")
    pupils = with_file(
        EntryFactory(
            teacher=staff_record(anna),
            item=ReportItem.PUPILS,
            kind="pupils_result",
            pupils_count=3,
            competition="Весенняя капель",
        )
    )
    client.force_login(anna)
    response = client.get(f"/portfolio/files/{own.pk}/")
    # Every answer to a signed-in user is kept by no one (kindergarten_portal.middleware).
    assert (response["Content-Type"], response["Content-Security-Policy"], response["Cache-Control"]) == (
        "application/pdf",
        "sandbox",
        "private, no-store",
    )
    for url in (f"/portfolio/files/{pupils.pk}/", f"/portfolio/files/{pupils.pk}/thumbnail/"):
        response = client.get(url)
        assert response.status_code == 200
        assert (response["Content-Security-Policy"], response["Cache-Control"]) == (
            "sandbox",
            "private, no-store",
        )
        assert response["X-Content-Type-Options"] == "nosniff"


def test_public_file_becomes_404_when_unpublished_or_private(client, anna):
    site = published_site(staff_record(anna), slug="anna")
    entry = approved_entry(staff_record(anna))
    evidence = with_file(entry)
    url = f"/portfolio/files/{evidence.pk}/"
    assert client.get(url).status_code == 200
    entry.is_public = False
    entry.save()
    assert client.get(url).status_code == 404
    entry.is_public = True
    entry.save()
    site.published = False
    site.save()
    assert client.get(url).status_code == 404


def test_guessing_file_ids_reveals_nothing(client, anna, boris):
    files = [with_file(EntryFactory(teacher=staff_record(anna))) for _ in range(3)]
    client.force_login(boris)
    for pk in [f.pk for f in files] + [max(f.pk for f in files) + 1]:
        assert client.get(f"/portfolio/files/{pk}/").status_code == 404
        assert client.get(f"/portfolio/files/{pk}/thumbnail/").status_code == 404
    assert client.get("/media/" + files[0].file.name).status_code == 404


# ---------------------------------------------------------------- mini-site


def test_publish_needs_consent_and_records_it(client, anna):
    client.force_login(anna)
    data = {"slug": "antonova", "about": "О себе", "credo": "Кредо", "show_photo": "on", "published": "on"}
    page = client.post("/portfolio/mini-site/", data).content.decode()
    assert "needs your consent" in page and not MiniSite.objects.filter(published=True).exists()
    assert 'value="antonova"' in page
    client.post("/portfolio/mini-site/", {**data, "consent": "on"})
    site = MiniSite.objects.get()
    assert site.published and site.consent_at is not None
    assert client.get("/t/antonova/").status_code == 200
    client.post("/portfolio/mini-site/", {**data, "published": ""})
    client.logout()
    assert client.get("/t/antonova/").status_code == 404
    assert "antonova" not in client.get("/t/").content.decode()


def test_minisite_shows_only_approved_public_entries_and_no_contacts(client, anna):
    teacher = staff_record(anna)
    teacher.phone, teacher.email = "+7 900 123-45-67", "anna-private@example.org"
    teacher.save()
    published_site(teacher, slug="anna", about="Люблю свою работу")
    approved_entry(teacher, title="Победитель конкурса")
    approved_entry(teacher, title="Скрытая запись", is_public=False)
    EntryFactory(teacher=teacher, title="Черновик записи")
    submitted_entry(teacher, title="На проверке")
    EntryFactory(
        teacher=teacher, title="Возвращённая", status=EntryStatus.RETURNED, reviewer_comment="секрет"
    )
    page = client.get("/t/anna/").content.decode()
    assert "Победитель конкурса" in page and "Люблю свою работу" in page
    for private in (
        "Скрытая запись",
        "Черновик записи",
        "На проверке",
        "Возвращённая",
        "секрет",
        "+7 900",
        "anna-private",
    ):
        assert private not in page


def test_minisite_pages_constant_queries(client, anna, boris, django_assert_num_queries, no_page_cache):
    published_site(staff_record(anna), slug="anna")
    with_file(approved_entry(staff_record(anna)))
    with django_assert_num_queries(6):
        client.get("/t/anna/")
    with django_assert_num_queries(3):  # whose index it is (our kindergarten), then its sites
        client.get("/t/")
    for i in range(5):
        with_file(
            approved_entry(staff_record(anna), item=["2", "3.1"][i % 2], date=DAY.replace(year=2023 + i % 3)),
            jpeg_bytes(color=(0, i, 0)),
        )
    published_site(staff_record(boris), slug="boris")
    for i in range(3):
        user = teacher_user(f"t{i}")
        published_site(staff_record(user), slug=f"t{i}")
    with django_assert_num_queries(6):
        response = client.get("/t/anna/")
    assert response.content.decode().count('data-test="public-entry"') == 6
    with django_assert_num_queries(3):
        response = client.get("/t/")
    assert response.content.decode().count('data-test="minisite"') == 5


def test_photo_only_on_published_site(client, anna):
    from django.core.files.base import ContentFile

    staff_record(anna).photo.save("p.jpg", ContentFile(jpeg_bytes()), save=True)
    site = published_site(staff_record(anna), slug="anna")
    assert client.get("/t/anna/photo/").status_code == 200
    site.show_photo = False
    site.save()
    assert client.get("/t/anna/photo/").status_code == 404
    site.show_photo, site.published = True, False
    site.save()
    assert client.get("/t/anna/photo/").status_code == 404


def test_dismissed_teachers_minisite_and_public_files_are_gone(client, anna, boris):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    from django.core.files.base import ContentFile

    staff_record(anna).photo.save("p.jpg", ContentFile(jpeg_bytes()), save=False)
    staff_record(anna).dismissal_date = yesterday
    staff_record(anna).save()
    published_site(staff_record(anna), slug="anna")
    evidence = with_file(approved_entry(staff_record(anna), title="Победа Анны"))
    # Boris leaves next month: he is still on staff and still public.
    staff_record(boris).dismissal_date = timezone.localdate() + datetime.timedelta(days=30)
    staff_record(boris).save()
    published_site(staff_record(boris), slug="boris")
    index = client.get("/t/").content.decode()
    assert "/t/boris/" in index and "/t/anna/" not in index
    assert client.get("/t/boris/").status_code == 200
    for url in ("/t/anna/", "/t/anna/photo/", f"/portfolio/files/{evidence.pk}/"):
        assert client.get(url).status_code == 404, url


# ---------------------------------------------------------------- showing or hiding an entry


def test_owner_hides_and_shows_a_derived_entry(client, anna):
    published_site(staff_record(anna), slug="anna")
    training = TrainingFactory(employee=staff_record(anna), programme="Курсы ФОП ДО")
    entry = PortfolioEntry.objects.get(source_type="staff.training", source_id=training.pk)
    assert entry.is_public and "Курсы ФОП ДО" in client.get("/t/anna/").content.decode()
    client.force_login(anna)
    url = reverse("portfolios:entry_visibility", args=[entry.pk])
    response = client.post(url, {"is_public": "0"})
    assert response.status_code == 302 and response["Location"] == f"/portfolio/entries/{entry.pk}/"
    entry.refresh_from_db()
    assert not entry.is_public and entry.status == EntryStatus.APPROVED
    assert "Курсы ФОП ДО" not in client.get("/t/anna/").content.decode()
    training.hours = 36
    training.save()  # a re-sync keeps her choice
    entry.refresh_from_db()
    assert not entry.is_public
    client.post(url, {"is_public": "1"})
    entry.refresh_from_db()
    assert entry.is_public


def test_owner_toggles_visibility_of_an_approved_entry_and_nothing_else(client, anna):
    entry = approved_entry(staff_record(anna), title="Утверждено")
    client.force_login(anna)
    page = client.get(f"/portfolio/entries/{entry.pk}/").content.decode()
    assert 'data-test="toggle-public"' in page
    client.post(
        reverse("portfolios:entry_visibility", args=[entry.pk]), {"is_public": "0", "title": "Подмена"}
    )
    entry.refresh_from_db()
    assert (entry.is_public, entry.title, entry.status) == (False, "Утверждено", EntryStatus.APPROVED)


def test_only_the_owner_may_show_or_hide_an_entry(client, anna, boris, head, senior):
    entry = approved_entry(staff_record(anna))
    url = reverse("portfolios:entry_visibility", args=[entry.pk])
    for user in (boris, head, senior):
        client.force_login(user)
        assert client.post(url, {"is_public": "0"}).status_code == 404
        if user != boris:  # readers see the entry, but without the button
            page = client.get(f"/portfolio/entries/{entry.pk}/").content.decode()
            assert 'data-test="toggle-public"' not in page
    client.logout()
    response = client.post(url, {"is_public": "0"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    entry.refresh_from_db()
    assert entry.is_public


# ---------------------------------------------------------------- admin


def test_admin_entry_page_constant_queries_with_history(client, anna, senior, django_assert_num_queries):
    entry = EntryFactory(teacher=staff_record(anna))
    StatusChange.objects.create(entry=entry, from_status="", to_status="draft", by=anna)
    url = reverse("admin:portfolios_portfolioentry_change", args=[entry.pk])
    client.force_login(senior)
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)
    for i in range(5):
        reviewer = UserFactory(username=f"reviewer{i}", first_name=f"Рецензент{i}")
        StatusChange.objects.create(entry=entry, from_status="draft", to_status="draft", by=reviewer)
    with django_assert_num_queries(8):
        response = client.get(url)
    page = response.content.decode()
    assert len(re.findall(r'id="status_changes-\d+"', page)) == 6 and "reviewer4" in page


# ---------------------------------------------------------------- review fixes, second round


def _pupils_entry(teacher, **kwargs):
    return approved_entry(
        teacher,
        item="4",
        kind="pupils_result",
        title="Воспитанники — призёры конкурса чтецов",
        level="municipal",
        result="prize_winner",
        pupils_count=3,
        competition="Конкурс чтецов",
        **kwargs,
    )


def test_pupils_result_files_never_public_though_the_entry_is(client, anna, boris, head, senior):
    published_site(staff_record(anna), slug="anna")
    evidence = with_file(_pupils_entry(staff_record(anna)))
    urls = [f"/portfolio/files/{evidence.pk}/", f"/portfolio/files/{evidence.pk}/thumbnail/"]
    page = client.get("/t/anna/").content.decode()
    assert "Воспитанники — призёры конкурса чтецов" in page
    assert urls[0] not in page and urls[1] not in page
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(boris)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    for user in (anna, senior, head):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [200, 200]


@pytest.mark.parametrize(
    "extra",
    [{}, {"item": "4", "kind": "pupils_result", "pupils_count": "5", "competition": "Конкурс чтецов"}],
)
def test_competition_and_pupils_results_need_level_and_result(client, anna, extra):
    client.force_login(anna)
    response = client.post("/portfolio/entries/add/", _form(level="", result="", **extra))
    assert response.status_code == 200 and not PortfolioEntry.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"level", "result"}
    assert 'value="Конкурс «Воспитатель года»"' in response.content.decode()


def test_form_error_with_a_chosen_file_tells_to_choose_it_again(client, anna):
    client.force_login(anna)
    page = client.post("/portfolio/entries/add/", _form(title="", files=upload("d.jpg"))).content.decode()
    assert 'data-test="choose-again"' in page and "Choose the file again" in page
    page = client.post("/portfolio/entries/add/", _form(title="")).content.decode()
    assert 'data-test="choose-again"' not in page


def test_removing_an_attached_file_asks_first(client, anna):
    entry = EntryFactory(teacher=staff_record(anna))
    with_file(entry)
    client.force_login(anna)
    page = client.get(f"/portfolio/entries/{entry.pk}/edit/").content.decode()
    button = re.search(r'<button form="delete-file-\d+"[^>]*>', page).group(0)
    assert 'data-confirm="Remove this file now?' in button  # asked by static/js/portal.js


def test_given_consent_stays_ticked_and_a_later_save_says_the_site_stays_published(client, anna):
    client.force_login(anna)
    data = {"slug": "antonova", "about": "О себе", "credo": "", "show_photo": "on", "published": "on"}
    first = client.post("/portfolio/mini-site/", {**data, "consent": "on"}, follow=True).content.decode()
    assert "Your mini-site is published." in first
    form_page = client.get("/portfolio/mini-site/").content.decode()
    assert re.search(r'<input[^>]*name="consent"[^>]*checked', form_page)
    again = client.post(
        "/portfolio/mini-site/", {**data, "show_photo": "", "consent": "on"}, follow=True
    ).content.decode()
    assert "the mini-site stays published" in again
    assert MiniSite.objects.get().published and not MiniSite.objects.get().show_photo


def test_unticked_consent_unpublishes_at_once_and_publishing_asks_again(client, anna):
    client.force_login(anna)
    data = {"slug": "antonova", "about": "О себе", "credo": "", "show_photo": "on", "published": "on"}
    client.post("/portfolio/mini-site/", {**data, "consent": "on"})
    assert client.get("/t/antonova/").status_code == 200
    client.post("/portfolio/mini-site/", data)  # the consent box unticked
    assert client.get("/t/antonova/").status_code == 404
    site = MiniSite.objects.get()
    assert (site.published, site.consent_at) == (False, None)
    form_page = client.get("/portfolio/mini-site/").content.decode()
    assert not re.search(r'<input[^>]*name="consent"[^>]*checked', form_page)
    client.post("/portfolio/mini-site/", data)
    assert client.get("/t/antonova/").status_code == 404


def test_withdraw_button_unpublishes_at_once(client, anna):
    client.force_login(anna)
    data = {"slug": "antonova", "about": "О себе", "credo": "", "show_photo": "on", "published": "on"}
    client.post("/portfolio/mini-site/", {**data, "consent": "on"})
    page = client.post("/portfolio/mini-site/", {**data, "consent": "on", "withdraw": "1"}, follow=True)
    assert "Your consent is withdrawn" in page.content.decode()
    assert client.get("/t/antonova/").status_code == 404
    assert MiniSite.objects.get().consent_at is None


def test_minisite_shows_only_the_parts_consented_to(client, anna):
    staff_record(anna).groups.add(KindergartenGroupFactory(name="Солнышко"))
    approved_entry(staff_record(anna), title="Победа в конкурсе")
    client.force_login(anna)
    data = {"slug": "antonova", "about": "Люблю детей", "credo": "", "published": "on", "consent": "on"}
    client.post("/portfolio/mini-site/", {**data, "show_about": "on", "show_group": "on"})
    page = client.get("/t/antonova/").content.decode()
    assert "Люблю детей" in page and "Солнышко" in page
    assert "Победа в конкурсе" not in page and 'data-test="category"' not in page
    client.post("/portfolio/mini-site/", {**data, "show_category": "on", "show_achievements": "on"})
    page = client.get("/t/antonova/").content.decode()
    assert "Люблю детей" not in page and "Солнышко" not in page
    assert "Победа в конкурсе" in page and 'data-test="category"' in page


def test_refused_upload_is_summarised_at_the_top_and_by_the_field(client, anna):
    client.force_login(anna)
    page = client.post(
        "/portfolio/entries/add/", _form(files=[upload("scan.jpg", b"not an image at all")])
    ).content.decode()
    summary = re.search(r'data-test="error-summary".*?</div>', page, re.S).group(0)
    assert 'href="#id_files"' in summary
    message = re.search(r"</a>: (.+?)</li>", summary).group(1)
    assert page.count(message) == 2  # once in the summary, once by the field
    assert not PortfolioEntry.objects.exists()


def test_approved_entry_says_it_is_shown_not_that_it_will_be(client, anna):
    entry = approved_entry(staff_record(anna), title="Утверждено")
    client.force_login(anna)
    page = client.get(f"/portfolio/entries/{entry.pk}/").content.decode()
    assert "Shown on the mini-site." in page and "once approved" not in page
    draft = EntryFactory(teacher=staff_record(anna))
    assert "once approved" in client.get(f"/portfolio/entries/{draft.pk}/").content.decode()


def test_shared_experience_entry_shows_the_account_to_the_reviewer(client, anna, senior):
    from events.models import ParticipationStatus
    from tests.events.factories import ParticipationFactory

    participation = ParticipationFactory(teacher=staff_record(anna), status=ParticipationStatus.ATTENDED)
    day = timezone.localdate(participation.event.start)
    participation.sharing_due = participation.sharing_done = day
    participation.sharing_account = "Рассказала на педчасе 12 коллегам"
    participation.save()
    entry = PortfolioEntry.objects.get(source_type="events.sharing")
    assert entry.status == EntryStatus.SUBMITTED
    client.force_login(senior)
    page = client.get(f"/portfolio/entries/{entry.pk}/").content.decode()
    assert "Рассказала на педчасе 12 коллегам" in page and 'value="approve"' in page


def test_review_refused_for_every_entry_gives_one_message_not_two(client, anna, senior):
    entry = approved_entry(staff_record(anna), title="Уже подтверждена")
    client.force_login(senior)
    page = client.post(
        reverse("portfolios:review_decide"), {"entries": [entry.pk], "action": "approve"}, follow=True
    ).content.decode()
    assert page.count('role="alert"') == 1 and "Approved: 0" not in page


def test_review_queue_is_shown_a_page_at_a_time(client, anna, senior):
    for n in range(REVIEW_PAGE_SIZE + 2):
        submitted_entry(staff_record(anna), title=f"Запись {n:02d}")
    client.force_login(senior)
    response = client.get("/portfolio/review/")
    first = response.content.decode()
    assert first.count('data-test="queue-entry"') == REVIEW_PAGE_SIZE
    assert response.context["page_obj"].paginator.count == REVIEW_PAGE_SIZE + 2  # "22 entries are waiting"
    assert 'data-test="pager"' in first and "?page=2" in first
    second = client.get("/portfolio/review/?page=2").content.decode()
    assert second.count('data-test="queue-entry"') == 2
    # A decision taken on the second page comes back to it.
    assert 'name="next" value="/portfolio/review/?page=2"' in second


def test_minisite_is_served_from_the_cache_until_it_changes(client, anna, django_assert_num_queries):
    site = published_site(staff_record(anna), slug="anna", about="Работаю в младшей группе")
    assert "Работаю в младшей группе" in client.get("/t/anna/").content.decode()
    # From the shared cache: Redis costs no query, the database cache two (the version, the page).
    with django_assert_num_queries(0 if isinstance(caches["pages"], RedisCache) else 2):
        assert "Работаю в младшей группе" in client.get("/t/anna/").content.decode()
    site.about = "Люблю музыку и театр"
    site.save()
    assert "Люблю музыку и театр" in client.get("/t/anna/").content.decode()
    staff_record(anna).surname = "Андреева"
    staff_record(anna).save()
    assert "Андреева" in client.get("/t/").content.decode()
    site.published = False
    site.save()
    assert client.get("/t/anna/").status_code == 404
