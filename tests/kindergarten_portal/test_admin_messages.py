"""The admin's success messages agree in Russian with each model's name: «Организация «…»
добавлена.», «Мероприятие «…» изменено.», «Удалено: 3 мероприятия.» (admin_messages.py)."""

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from events.models import RecommendationReason
from kindergarten_portal.admin_messages import ADD_ANOTHER, ADDED, CHANGED, EDIT_AGAIN, AgreeingMessagesMixin
from kindergarten_portal.typography import full_stop
from reports.models import ScoringRule
from tests.events.factories import EventFactory, in_days
from tests.factories import EmployeeFactory

# Each registered model's name as the office reads it, the ending its past participle takes
# (added/changed/deleted) and the name counted: 1, 3 and 5 of them. Written here, apart from the
# admins' declarations, so that a wrong gender or a forgotten model fails.
WORDS = {
    "auth.Group": ("Группа", "а", ("1 группа", "3 группы", "5 групп")),
    "auth.User": ("Пользователь", "", ("1 пользователь", "3 пользователя", "5 пользователей")),
    "axes.AccessAttempt": (
        "Запись о попытке доступа",
        "а",
        ("1 запись о попытке доступа", "3 записи о попытке доступа", "5 записей о попытке доступа"),
    ),
    "axes.AccessLog": (
        "Запись о доступе",
        "а",
        ("1 запись о доступе", "3 записи о доступе", "5 записей о доступе"),
    ),
    "axes.AccessFailureLog": (
        "Ошибка доступа",
        "а",
        ("1 ошибка доступа", "3 ошибки доступа", "5 ошибок доступа"),
    ),
    "kindergarten_portal.OutboxMessage": ("Письмо", "о", ("1 письмо", "3 письма", "5 писем")),
    "staff.Employee": ("Сотрудник", "", ("1 сотрудник", "3 сотрудника", "5 сотрудников")),
    "staff.KindergartenGroup": ("Группа", "а", ("1 группа", "3 группы", "5 групп")),
    "staff.Training": (
        "Обучение",
        "о",
        ("1 запись об обучении", "3 записи об обучении", "5 записей об обучении"),
    ),
    "kindergarten_portal.Organization": (
        "Организация",
        "а",
        ("1 организация", "3 организации", "5 организаций"),
    ),
    "events.Direction": (
        "Направление взаимодействия",
        "о",
        ("1 направление взаимодействия", "3 направления взаимодействия", "5 направлений взаимодействия"),
    ),
    "events.Series": (
        "Годовой семинар",
        "",
        ("1 годовой семинар", "3 годовых семинара", "5 годовых семинаров"),
    ),
    "events.Event": ("Мероприятие", "о", ("1 мероприятие", "3 мероприятия", "5 мероприятий")),
    "events.Participation": (
        "Участие",
        "о",
        ("1 запись об участии", "3 записи об участии", "5 записей об участии"),
    ),
    "events.ExternalParticipant": (
        "Внешний участник",
        "",
        ("1 внешний участник", "3 внешних участника", "5 внешних участников"),
    ),
    "events.EventCertificate": ("Сертификат", "", ("1 сертификат", "3 сертификата", "5 сертификатов")),
    "events.PublishedPlan": (
        "Опубликованный план",
        "",
        ("1 опубликованный план", "3 опубликованных плана", "5 опубликованных планов"),
    ),
    "portfolios.PortfolioEntry": (
        "Запись портфолио",
        "а",
        ("1 запись портфолио", "3 записи портфолио", "5 записей портфолио"),
    ),
    "portfolios.MiniSite": ("Мини-сайт", "", ("1 мини-сайт", "3 мини-сайта", "5 мини-сайтов")),
    "reports.AcademicYear": ("Учебный год", "", ("1 учебный год", "3 учебных года", "5 учебных лет")),
    "reports.ScoringRule": (
        "Правило начисления баллов",
        "о",
        ("1 правило начисления баллов", "3 правила начисления баллов", "5 правил начисления баллов"),
    ),
    "reports.RecommendationCriterion": (
        "Критерий рекомендации",
        "",
        ("1 критерий рекомендации", "3 критерия рекомендации", "5 критериев рекомендации"),
    ),
    "reports.RatingBuild": (
        "Версия рейтинга",
        "а",
        ("1 версия рейтинга", "3 версии рейтинга", "5 версий рейтинга"),
    ),
    "reports.SelfReport": ("Самоотчёт", "", ("1 самоотчёт", "3 самоотчёта", "5 самоотчётов")),
}
# The past participles by ending: «добавлен», «добавлена», «добавлено».
ADDED_RU = {"": "добавлен", "а": "добавлена", "о": "добавлено"}
CHANGED_RU = {"": "изменён", "а": "изменена", "о": "изменено"}
DELETED_RU = {"": "удалён", "а": "удалена", "о": "удалено"}
# A name with quotes of its own, ending with an abbreviation's full stop.
NAME = "Семинар «Игра» для Зайцевой М.О."
QUOTED = "«Семинар „Игра“ для Зайцевой М.О.»"


def registered_admins():
    return {
        model._meta.label: admin.site.get_model_admin(model)
        for model in apps.get_models()
        if admin.site.is_registered(model)
    }


def test_every_registered_admin_declares_its_word():
    admins = registered_admins()
    assert set(admins) == set(WORDS)
    for label, model_admin in admins.items():
        assert isinstance(model_admin, AgreeingMessagesMixin), label
        assert model_admin.gender is not None and model_admin.counted is not None, label


def _request():
    """A POST through the session and message middleware, by a superuser."""
    request = RequestFactory().post("/admin/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    MessageMiddleware(lambda r: HttpResponse()).process_request(request)
    request.user = get_user_model()(is_superuser=True, is_active=True)
    return request


@pytest.mark.parametrize("label", sorted(WORDS))
def test_each_model_is_added_changed_and_deleted_in_its_gender(label):
    name, ending, _counts = WORDS[label]
    model_admin = registered_admins()[label]
    with translation.override("ru"):
        assert model_admin.object_message(ADDED, NAME) == f"{name} {QUOTED} {ADDED_RU[ending]}."
        assert model_admin.object_message(CHANGED, NAME) == f"{name} {QUOTED} {CHANGED_RU[ending]}."
        pronoun = "её" if ending == "а" else "его"
        assert (
            model_admin.object_message(ADDED, NAME, follow=EDIT_AGAIN)
            == f"{name} {QUOTED} {ADDED_RU[ending]}. Ниже {pronoun} можно изменить снова."
        )
        following = "следующей" if ending == "а" else "следующего"
        assert (
            model_admin.object_message(CHANGED, NAME, follow=ADD_ANOTHER)
            == f"{name} {QUOTED} {CHANGED_RU[ending]}. Ниже — форма для {following}."
        )
        # the deletion through the admin's own response, as its delete page ends
        request = _request()
        model_admin.response_delete(request, NAME, 1)
        assert [str(m) for m in get_messages(request)] == [f"{name} {QUOTED} {DELETED_RU[ending]}."]


@pytest.mark.parametrize("label", sorted(WORDS))
def test_each_model_is_counted_with_its_plural(label):
    counts = WORDS[label][2]
    model_admin = registered_admins()[label]
    with translation.override("ru"):
        said = [model_admin.count_message("Deleted %(items)s.", n) for n in (1, 3, 5)]
        assert said == [f"Deleted {count}." for count in counts]


def _messages(response):
    """The messages' text, without the link Django's messages put on the object's name."""
    return [strip_tags(str(m)) for m in get_messages(response.wsgi_request)]


GROUP = {"name": "Наставники «Школы молодого педагога»"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("button", "said"),
    [
        ("_save", "Группа «Наставники „Школы молодого педагога“» добавлена."),
        (
            "_continue",
            "Группа «Наставники „Школы молодого педагога“» добавлена. Ниже её можно изменить снова.",
        ),
        (
            "_addanother",
            "Группа «Наставники „Школы молодого педагога“» добавлена. Ниже — форма для следующей.",
        ),
    ],
)
def test_a_group_added_is_feminine_whatever_the_button(admin_client, button, said):
    response = admin_client.post("/admin/auth/group/add/", {**GROUP, button: "1"})
    assert response.status_code == 302
    group = Group.objects.get(name=GROUP["name"])
    assert _messages(response) == [said]
    # the name links to the group's page, as in Django's own message
    link = f'«<a href="/admin/auth/group/{group.pk}/change/">Наставники „Школы молодого педагога“</a>»'
    assert link in str(list(get_messages(response.wsgi_request))[0])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("button", "said"),
    [
        ("_save", "Группа «Наставники „Школы молодого педагога“» изменена."),
        (
            "_continue",
            "Группа «Наставники „Школы молодого педагога“» изменена. Ниже её можно изменить снова.",
        ),
        (
            "_addanother",
            "Группа «Наставники „Школы молодого педагога“» изменена. Ниже — форма для следующей.",
        ),
    ],
)
def test_a_group_changed_and_deleted_is_feminine(admin_client, button, said):
    group = Group.objects.create(name="Наставники")
    url = f"/admin/auth/group/{group.pk}/"
    response = admin_client.post(f"{url}change/", {**GROUP, button: "1"})
    assert response.status_code == 302
    assert _messages(response) == [said]
    response = admin_client.post(f"{url}delete/", {"post": "yes"})
    # (the change's message, not yet shown, is still stored)
    assert _messages(response)[-1:] == ["Группа «Наставники „Школы молодого педагога“» удалена."]
    assert not Group.objects.filter(pk=group.pk).exists()


@pytest.mark.django_db
def test_deleting_selected_events_counts_them_in_russian_and_english(admin_client):
    events = [EventFactory() for _ in range(3)]
    data = {"action": "delete_selected", "_selected_action": [e.pk for e in events[:2]], "post": "yes"}
    response = admin_client.post("/admin/events/event/", data)
    assert _messages(response) == ["Удалено: 2 мероприятия."]
    response = admin_client.post(
        "/admin/events/event/",
        {**data, "_selected_action": [events[2].pk]},
        headers={"accept-language": "en"},
    )
    assert _messages(response)[-1:] == ["Deleted 1 event."]


@pytest.mark.django_db
def test_an_english_office_reads_english(admin_client):
    response = admin_client.post(
        "/admin/auth/group/add/", {**GROUP, "_continue": "1"}, headers={"accept-language": "en"}
    )
    assert _messages(response) == [
        "Group “Наставники „Школы молодого педагога“” was added. You may edit it again below."
    ]


@pytest.mark.django_db
def test_rows_saved_in_the_scoring_list_are_counted(admin_client):
    rules = list(ScoringRule.objects.order_by("pk")[:5])
    data = {
        "form-TOTAL_FORMS": "5",
        "form-INITIAL_FORMS": "5",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Сохранить",
    }
    for i, rule in enumerate(rules):
        data[f"form-{i}-id"] = str(rule.pk)
        data[f"form-{i}-points"] = str(rule.points + 1 if i < 3 else rule.points)
    response = admin_client.post("/admin/reports/scoringrule/", data)
    assert response.status_code == 302
    assert _messages(response) == ["Изменено: 3 правила начисления баллов."]


def test_a_sentence_ending_with_initials_takes_one_full_stop():
    assert full_stop("Добавлены участники: Петрова Е.С., Зайцева М.О.") == (
        "Добавлены участники: Петрова Е.С., Зайцева М.О."
    )
    assert full_stop("Разблокирована 1 учётная запись: anna") == "Разблокирована 1 учётная запись: anna."


@pytest.mark.django_db
def test_participants_added_end_with_one_full_stop(client, senior):
    event = EventFactory(start=in_days(-2), end=in_days(-2, hour=12))
    zaitseva = EmployeeFactory(surname="Зайцева", name="Мария", patronymic="Олеговна")
    client.force_login(senior)
    url = reverse("admin:events_event_participants_add", args=[event.pk])
    response = client.post(url, {"teachers": [zaitseva.pk], "role": "listener", "attended": "on"})
    assert _messages(response) == ["Добавлены участники: Зайцева М.О."]


@pytest.mark.django_db
def test_a_recommendation_counts_events_and_teachers_in_russian_and_english(client, senior):
    event = EventFactory()
    teachers = [EmployeeFactory() for _ in range(5)]
    client.force_login(senior)
    data = {
        "action": "recommend_action",
        "_selected_action": [event.pk],
        "apply": "1",
        "teachers": [t.pk for t in teachers],
        "reason": RecommendationReason.OPEN_EVENT,
    }
    response = client.post("/admin/events/event/", data)
    assert _messages(response) == ["Рекомендовано 1 мероприятие 5 педагогам; уведомление придёт по e-mail."]
    response = client.post(
        "/admin/events/event/", {**data, "teachers": [teachers[0].pk]}, headers={"accept-language": "en"}
    )
    assert _messages(response)[-1:] == ["Recommended 1 event to 1 teacher; they are notified by e-mail."]


@pytest.mark.django_db
def test_the_two_list_widget_speaks_plain_russian(admin_client):
    # SelectFilter2.js (a user's groups and permissions) reads its words from the admin's catalogue.
    script = admin_client.get("/admin/jsi18n/").content.decode()

    def written(text):  # as the catalogue's JSON writes it
        return json.dumps(text)[1:-1]

    assert written("в списке «%s» и нажмите кнопку со стрелкой влево") in script
    assert written("и и ") not in script and written("отфитровать") not in script
