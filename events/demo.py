"""The events part of the demo kindergarten: partners, the year-long seminar «Игра – как форма
организации детской жизни», next month's ГМО plan, sign-ups, recommendations, attendance and a held
event with published results. Everything is relative to `today`; running it again creates nothing twice."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from kindergarten_portal.models import NetworkMembership, Organization, OrganizationKind
from staff.academic import AcademicYear
from staff.dates import add_months, working_day
from staff.demo import KINDERGARTEN_NAME, KINDERGARTEN_SHORT_NAME, kindergarten

from . import services
from .models import (
    Direction,
    EducationalArea,
    Event,
    EventFormat,
    EventPhoto,
    EventStatus,
    Level,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    RecommendationReason,
    Series,
)

ORGANIZATIONS = [
    # name, short name, kind, is own, years in the network (None: not a member), left years ago
    (KINDERGARTEN_NAME, KINDERGARTEN_SHORT_NAME, OrganizationKind.KINDERGARTEN, True, None, None),
    ("МБДОУ «Детский сад № 15»", "Детский сад № 15", OrganizationKind.KINDERGARTEN, False, 4, None),
    (
        "Центральная детская библиотека им. А. П. Гайдара",
        "Детская библиотека",
        OrganizationKind.LIBRARY,
        False,
        6,
        None,
    ),
    (
        "ГАУЗ «Детская городская поликлиника № 3»",
        "Детская поликлиника № 3",
        OrganizationKind.POLYCLINIC,
        False,
        3,
        None,
    ),
    (
        "МБУ ДО «Детская художественная школа № 2»",
        "ДХШ № 2",
        OrganizationKind.ADDITIONAL_EDUCATION,
        False,
        2,
        None,
    ),
    ("МАОУ «Средняя общеобразовательная школа № 7»", "СОШ № 7", OrganizationKind.SCHOOL, False, 5, 1),
    ("Информационно-методический центр", "ИМЦ", OrganizationKind.IMC, False, None, None),
    (
        "ГМО воспитателей дошкольных образовательных организаций",
        "ГМО воспитателей",
        OrganizationKind.GMO,
        False,
        None,
        None,
    ),
]

SERIES_THEME = "Игра – как форма организации детской жизни"


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _demo_photo(colour, text):
    image = Image.new("RGB", (640, 427), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 600, 387), outline="white", width=6)
    draw.text((70, 200), text, fill="white")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name="demo.jpg")


def _event(title, **fields):
    event, created = Event.objects.get_or_create(title=title, defaults={"host": kindergarten(), **fields})
    return event, created


def build(*, today, teachers):
    """Create (or find) the demo partners, series and events; returns the events by title."""
    orgs = {}
    for name, short, kind, own, years, left_years_ago in ORGANIZATIONS:
        org, created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "is_own": own,
                "contact_person": "" if own else "Методист",
                "phone": "+7 343 200-00-00",
            },
        )
        orgs[short] = org
        if created and years is not None:
            joined = today.replace(year=today.year - years, month=9, day=1)
            NetworkMembership.objects.create(
                organization=org,
                joined=joined,
                left=today.replace(year=today.year - left_years_ago, month=6, day=30)
                if left_years_ago
                else None,
                agreement_number=f"СВ-{joined.year}-{len(orgs):02d}",
                agreement_date=joined,
            )
    own = orgs[KINDERGARTEN_SHORT_NAME]
    gmo = orgs["ГМО воспитателей"]
    imc = orgs["ИМЦ"]
    library = orgs["Детская библиотека"]
    polyclinic = orgs["Детская поликлиника № 3"]
    kindergarten15 = orgs["Детский сад № 15"]
    art_school = orgs["ДХШ № 2"]

    direction_play, _ = Direction.objects.get_or_create(
        name="Игровая деятельность дошкольников",
        defaults={"description": "Игра как ведущая деятельность и форма организации детской жизни."},
    )
    direction_health, _ = Direction.objects.get_or_create(
        name="Здоровьесбережение", defaults={"description": "Совместная работа с детской поликлиникой."}
    )
    direction_speech, _ = Direction.objects.get_or_create(name="Речевое развитие")

    academic_year = AcademicYear.of(today).start_year
    series, created = Series.objects.get_or_create(
        theme=SERIES_THEME,
        academic_year=academic_year,
        defaults={
            "host": orgs[KINDERGARTEN_SHORT_NAME],
            "direction": direction_play,
            "lead": teachers[0],
            "description": "Годовой семинар для педагогов ДОО и сетевых партнёров.",
        },
    )
    if created:
        series.initiative_group.set(teachers[:5])

    senior = get_user_model().objects.filter(username="metodist").first()
    events = {}

    # ---- the year-long seminar: two held events, one this month, an open show next month
    held = working_day(today - datetime.timedelta(days=40), backward=True)
    workshop, created = _event(
        "Игра – как фактор всестороннего развития ребёнка",
        format=EventFormat.WORKSHOP,
        level=Level.MUNICIPAL,
        organizer=own,
        series=series,
        direction=direction_play,
        start=_at(held, 13, 30),
        end=_at(held, 15, 30),
        place="МАДОУ № 42, музыкальный зал",
        description="Семинар-практикум годового семинара: игра в развитии ребёнка, игровые технологии.",
        audience="воспитатели ДОО города",
        capacity=40,
        is_open=True,
        status=EventStatus.PLANNED,
    )
    if created:
        for index, teacher in enumerate(teachers[:6]):
            role = {
                0: ParticipationRole.SPEAKER,
                2: ParticipationRole.SPEAKER,
                1: ParticipationRole.ORGANIZER,
            }.get(index, ParticipationRole.LISTENER)
            Participation.objects.create(
                event=workshop, teacher=teacher, role=role, status=ParticipationStatus.SIGNED_UP
            )
        services.attendance_mark(participations=Participation.objects.filter(event=workshop), attended=True)
        workshop.co_organizers.set([kindergarten15])
        workshop.status = EventStatus.HELD
        workshop.results_text = (
            "Семинар-практикум собрал 32 педагога из 6 детских садов города. Своим опытом поделились "
            "Антонова А. С. («Сюжетно-ролевая игра в младшей группе») и Васильева Е. Н. "
            "(«Игры с правилами»). Поздравляем выступавших и благодарим всех участников!"
        )
        workshop.results_published = True
        workshop.save()
        EventPhoto.objects.create(
            event=workshop, image=_demo_photo("#2e7d32", "Seminar"), caption="Выступление"
        )
        EventPhoto.objects.create(
            event=workshop, image=_demo_photo("#1565c0", "Workshop"), caption="Практикум"
        )
    events["workshop"] = workshop

    auction_day = working_day(today - datetime.timedelta(days=12), backward=True)
    auction, created = _event(
        "Педагогический аукцион «Игровые идеи для детского сада»",
        format=EventFormat.AUCTION,
        level=Level.INSTITUTIONAL,
        organizer=own,
        series=series,
        direction=direction_play,
        start=_at(auction_day, 13, 30),
        end=_at(auction_day, 15, 0),
        place="МАДОУ № 42, методический кабинет",
        description="Педагоги «продают» коллегам свои игровые находки.",
        status=EventStatus.PLANNED,
    )
    if created:
        for index, teacher in enumerate(teachers[:8]):
            role = ParticipationRole.ORGANIZER if index in (3, 6) else ParticipationRole.LISTENER
            Participation.objects.create(
                event=auction, teacher=teacher, role=role, status=ParticipationStatus.SIGNED_UP
            )
        services.attendance_mark(participations=Participation.objects.filter(event=auction), attended=True)
        auction.status = EventStatus.HELD
        auction.save()
    events["auction"] = auction

    consultation_day = working_day(today + datetime.timedelta(days=5))
    events["consultation"], _ = _event(
        "Лэпбук – как вид совместной деятельности взрослого и ребёнка",
        format=EventFormat.CONSULTATION,
        level=Level.INSTITUTIONAL,
        organizer=own,
        series=series,
        direction=direction_play,
        start=_at(consultation_day, 13, 30),
        end=_at(consultation_day, 14, 30),
        place="МАДОУ № 42, методический кабинет",
        description="Консультация: что такое лэпбук, как сделать его вместе с детьми.",
        status=EventStatus.PLANNED,
    )

    next_month = add_months(today.replace(day=1), 1)
    show_day = working_day(next_month.replace(day=10))
    show, created = _event(
        "Открытый показ: сюжетно-ролевая игра «Больница» в старшей группе",
        format=EventFormat.OPEN_SHOW,
        level=Level.MUNICIPAL,
        organizer=own,
        series=series,
        direction=direction_play,
        start=_at(show_day, 9, 30),
        end=_at(show_day, 10, 30),
        place="МАДОУ № 42, группа «Колокольчик»",
        description="Открытый показ непосредственно образовательной деятельности для коллег города.",
        audience="воспитатели старших групп",
        capacity=15,
        signup_deadline=_at(show_day - datetime.timedelta(days=2), 18, 0),
        is_open=True,
        status=EventStatus.PLANNED,
    )
    if created:
        Participation.objects.create(
            event=show,
            teacher=teachers[4],
            role=ParticipationRole.OPEN_SHOW_PRESENTER,
            status=ParticipationStatus.SIGNED_UP,
        )
    events["open_show"] = show

    # ---- next month's ГМО / ИМЦ plan
    plan = [
        ("speech", "Развитие речи дошкольников в игровой деятельности", EventFormat.SEMINAR, gmo, Level.MUNICIPAL, 3,
         {"place": "МБДОУ «Детский сад № 15», ул. Ленина, 5", "capacity": 25, "direction": direction_speech}),
        ("master", "Мастер-класс «Нетрадиционные техники рисования»", EventFormat.MASTER_CLASS, art_school, Level.MUNICIPAL, 8,
         {"place": "ДХШ № 2, класс живописи", "capacity": 2, "co": [own]}),
        ("webinar", "Финансовая грамотность дошкольников: игровые методы", EventFormat.WEBINAR, imc, Level.REGIONAL, 12,
         {"online_link": "https://imc.example.ru/webinar/fin"}),
        ("round_table", "Взаимодействие детского сада и семьи", EventFormat.ROUND_TABLE, gmo, Level.MUNICIPAL, 17,
         {"place": "ИМЦ, ауд. 12"}),
        ("visit", "Взаимопосещение: центры активности в группе", EventFormat.MUTUAL_VISIT, kindergarten15, Level.MUNICIPAL, 22,
         {"place": "МБДОУ «Детский сад № 15»", "capacity": 10}),
        ("health", "Профилактика плоскостопия у дошкольников", EventFormat.CONSULTATION, polyclinic, Level.MUNICIPAL, 15,
         {"place": "Детская поликлиника № 3, конференц-зал", "direction": direction_health, "co": [own]}),
        ("open_day", "День открытых дверей для коллег сетевых партнёров", EventFormat.OPEN_DOOR_DAY, own, Level.MUNICIPAL, 24,
         {"place": "МАДОУ № 42", "capacity": 30, "is_open": True}),
    ]  # fmt: skip
    for key, title, event_format, organizer, level, day, extra in plan:
        day = working_day(next_month.replace(day=day))
        co = extra.pop("co", [])
        event, created = _event(
            title,
            format=event_format,
            level=level,
            organizer=organizer,
            start=_at(day, 10, 0),
            end=_at(day, 12, 0),
            audience="педагоги ДОО",
            description="План ГМО на месяц.",
            status=EventStatus.PLANNED,
            **extra,
        )
        if created and co:
            event.co_organizers.set(co)
        events[key] = event

    if not Participation.objects.filter(event=events["master"]).exists():  # sign-ups and recommendations
        for teacher in (teachers[5], teachers[6], teachers[7]):
            services.participation_sign_up(event=events["master"], teacher=teacher)  # the third waits
        services.participation_sign_up(event=events["webinar"], teacher=teachers[0])
        services.participation_sign_up(event=events["round_table"], teacher=teachers[1])
        services.participation_sign_up(event=events["visit"], teacher=teachers[19])
        services.participation_sign_up(event=events["consultation"], teacher=teachers[19])
        services.recommend(
            event=events["speech"],
            teachers=[teachers[0], teachers[19]],
            reason=RecommendationReason.DIFFICULTY,
            area=EducationalArea.SPEECH,
            comment="Обратите внимание на приёмы развития диалогической речи в игре.",
            recommended_by=senior,
        )
        services.recommend(
            event=events["visit"],
            teachers=[teachers[4]],
            reason=RecommendationReason.OPEN_EVENT,
            comment="Пригодится при подготовке открытого показа.",
            recommended_by=senior,
        )

    # ---- held external events: experience sharing open for Anna, done for Olga
    library_day = working_day(today - datetime.timedelta(days=20), backward=True)
    library_event, created = _event(
        "Литературная гостиная: детские писатели Урала",
        format=EventFormat.SEMINAR,
        level=Level.MUNICIPAL,
        organizer=library,
        start=_at(library_day, 14, 0),
        end=_at(library_day, 16, 0),
        place="Центральная детская библиотека",
        description="Семинар для педагогов: знакомство детей с творчеством уральских писателей.",
        status=EventStatus.PLANNED,
    )
    if created:
        for teacher in (teachers[0], teachers[1]):
            Participation.objects.create(
                event=library_event, teacher=teacher, status=ParticipationStatus.SIGNED_UP
            )
        services.attendance_mark(
            participations=Participation.objects.filter(event=library_event), attended=True
        )
        library_event.status = EventStatus.HELD
        library_event.save()
        olga = Participation.objects.get(event=library_event, teacher=teachers[1])
        services.sharing_mark_done(
            participation=olga,
            done_on=today - datetime.timedelta(days=3),
            account="Консультация для воспитателей средних групп на педагогическом часе.",
            form=EventFormat.CONSULTATION,
            today=today,
        )
    events["library"] = library_event
    return events
