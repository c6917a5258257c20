"""The portfolios part of the demo kindergarten: entries in every status with evidence scans,
and published mini-sites. Idempotent: entries are found by teacher and title."""

import datetime
import hashlib
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from staff.academic import AcademicYear
from staff.dates import add_months
from staff.images import image_check

from .derived import entries_sync_all
from .files import THUMBNAIL_SIDE
from .forms import suggested_slug
from .models import (
    MINISITE_CONSENT_VERSION,
    EntryKind,
    EntryStatus,
    EvidenceFile,
    MiniSite,
    PortfolioEntry,
    ReportItem,
    StatusChange,
)

RETURN_COMMENT = "На скане не видно подписи и печати. Загрузите, пожалуйста, более чёткую фотографию."

# item, kind, title, level, result, organizer, extra fields, status
OWN_ENTRIES = [
    (ReportItem.AWARDS, EntryKind.GRATITUDE, "Благодарственное письмо Управления образования",
     "municipal", "", "Управление образования", {}, EntryStatus.APPROVED),
    (ReportItem.COMPETITIONS, EntryKind.COMPETITION_RESULT,
     "Диплом призёра конкурса «Педагогический дебют»", "regional", "prize_winner",
     "Министерство образования Свердловской области", {}, EntryStatus.APPROVED),
    (ReportItem.PUPILS, EntryKind.PUPILS_RESULT, "Городской фестиваль «Весёлые нотки»", "municipal", "winner",
     "Дворец детского творчества", {"pupils_count": 6, "competition": "Фестиваль «Весёлые нотки»"},
     EntryStatus.APPROVED),
    (ReportItem.PARENTS, EntryKind.PARENTS_LECTURE, "Тренинг для родителей «Играем вместе»", "institutional", "",
     "", {}, EntryStatus.SUBMITTED),
    (ReportItem.METHODOLOGICAL, EntryKind.PUBLICATION,
     "Публикация «Игра как форма организации детской жизни» в сборнике ИМЦ", "municipal", "", "ИМЦ", {},
     EntryStatus.RETURNED),
    (ReportItem.SELF_EDUCATION, EntryKind.CERTIFICATE, "Сертификат участника вебинара «ФОП ДО: практика»",
     "federal", "", "Издательство «Просвещение»", {}, EntryStatus.DRAFT),
]  # fmt: skip

# Approved achievements of the rest of the staff this year, so the demo rating has a real spread.
STAFF_ENTRIES = [
    (ReportItem.SELF_EDUCATION, EntryKind.EVENT_ATTENDED, "Вебинар «Развивающая предметно-пространственная среда»",
     "federal", "", "Издательство «Просвещение»", {}, EntryStatus.APPROVED),
    (ReportItem.METHODOLOGICAL, EntryKind.SPEECH, "Выступление на ГМО «Игровые технологии в работе с детьми»",
     "municipal", "", "ГМО воспитателей", {}, EntryStatus.APPROVED),
    (ReportItem.COMPETITIONS, EntryKind.COMPETITION_RESULT, "Конкурс методических разработок «Лучший лэпбук»",
     "municipal", "participant", "ИМЦ", {}, EntryStatus.APPROVED),
    (ReportItem.PUPILS, EntryKind.PUPILS_RESULT, "Конкурс чтецов «Зимняя сказка»", "institutional", "winner",
     "МАДОУ № 42", {"pupils_count": 3, "competition": "Конкурс чтецов «Зимняя сказка»"}, EntryStatus.APPROVED),
    (ReportItem.AWARDS, EntryKind.GRATITUDE, "Благодарность родительского комитета", "institutional", "",
     "МАДОУ № 42", {}, EntryStatus.APPROVED),
]  # fmt: skip

ABOUT = "Работаю в детском саду с {year} года. Люблю природу, музыку и детский смех."
CREDO = "Не учить, а увлекать: ребёнок узнаёт мир через игру."


def _scan(text: str) -> tuple[bytes, bytes]:
    """A small picture of a certificate (and its thumbnail), different for each text."""
    seed = hashlib.sha256(text.encode()).digest()
    image = Image.new("RGB", (840, 600), (255, 253, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 820, 580), outline=(seed[0], seed[1] // 2, 120), width=12)
    draw.text((330, 120), "DIPLOMA", fill=(120, 20, 20))
    draw.text((120, 260), seed.hex()[:40], fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    # Stored as an uploaded scan would be.
    checked = image_check(out.getvalue(), name="scan.jpg", thumbnail_side=THUMBNAIL_SIDE)
    return checked.content, checked.thumbnail


def attach_scan(entry):
    """A demo scan (a generated JPEG with its thumbnail) as the entry's evidence file."""
    content, thumb = _scan(f"{entry.teacher_id}:{entry.title}")
    evidence = EvidenceFile(
        entry=entry,
        content_type="image/jpeg",
        original_name="scan.jpg",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    evidence.file.save("scan.jpg", ContentFile(content), save=False)
    evidence.thumbnail.save("thumb.jpg", ContentFile(thumb), save=False)
    evidence.save()


def _own_entry(teacher, spec, day, reviewer, now):
    item, kind, title, level, result, organizer, extra, status = spec
    entry, created = PortfolioEntry.objects.get_or_create(
        teacher=teacher,
        title=title,
        defaults={
            "item": item,
            "kind": kind,
            "date": day,
            "level": level,
            "result": result,
            "organizer": organizer,
            **extra,
        },
    )
    if not created:
        return
    attach_scan(entry)
    user = teacher.user
    StatusChange.objects.create(entry=entry, from_status="", to_status=EntryStatus.DRAFT, by=user)
    if status == EntryStatus.DRAFT:
        return
    entry.submitted_at = now - datetime.timedelta(days=3)
    StatusChange.objects.create(entry=entry, from_status="draft", to_status="submitted", by=user)
    if status == EntryStatus.APPROVED:
        entry.approved_by, entry.approved_at = reviewer, now - datetime.timedelta(days=1)
        StatusChange.objects.create(
            entry=entry,
            from_status="submitted",
            to_status="approved",
            by=reviewer,
            notify=True,
            notified_at=now,
        )
    elif status == EntryStatus.RETURNED:
        entry.reviewer_comment = RETURN_COMMENT
        StatusChange.objects.create(
            entry=entry,
            from_status="submitted",
            to_status="returned",
            by=reviewer,
            comment=RETURN_COMMENT,
            notify=True,
            notified_at=now,
        )
    entry.status = status
    entry.save()


def build(*, today, teachers):
    """Entries for the first eight teachers (every status), derived entries of every staff and event
    record, and mini-sites: five published, one prepared but not published."""
    entries_sync_all()
    now = timezone.now()
    reviewer = get_user_model().objects.filter(username="metodist").first()
    start = AcademicYear.of(today).start
    for index, teacher in enumerate(teachers[:8]):
        for number, spec in enumerate(OWN_ENTRIES):
            # Spread the dates over this academic year so far (and the previous one for some).
            day = add_months(start, (number + index) % 6) if number % 3 else add_months(start, -(2 + number))
            _own_entry(teacher, spec, min(day, today), reviewer, now)
    for index, teacher in enumerate(teachers[8:], start=8):
        # From one to five achievements each, dated in this academic year up to today.
        for number, spec in enumerate(STAFF_ENTRIES[: 1 + index % 5]):
            day = min(add_months(start, number % 3) + datetime.timedelta(days=index), today)
            _own_entry(teacher, spec, day, reviewer, now)
    for index, teacher in enumerate(teachers[:6]):
        if MiniSite.objects.filter(teacher=teacher).exists():
            continue
        published = index < 5
        MiniSite.objects.create(
            teacher=teacher,
            slug=suggested_slug(teacher),
            published=published,
            consent_at=now if published else None,
            consent_text_version=MINISITE_CONSENT_VERSION if published else "",
            about=ABOUT.format(year=(teacher.hire_date or today).year),
            credo=CREDO,
        )
