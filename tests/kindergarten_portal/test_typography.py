import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string

from kindergarten_portal.typography import inner_quotes
from tests.events.factories import EventFactory


def test_quotes_inside_quotes_become_low_high():
    assert f"«{inner_quotes('Семинар «Игра» для всех')}»" == "«Семинар „Игра“ для всех»"
    assert inner_quotes(None) == ""


@pytest.mark.django_db
def test_an_email_never_nests_guillemets():
    event = EventFactory(title="Мастер-класс «Игра и игрушка»")
    body = render_to_string("emails/reminder.txt", {"event": event, "url": "/"})
    assert "«Мастер-класс „Игра и игрушка“»" in body and "««" not in body and "»»" not in body


def test_a_sign_up_message_never_nests_guillemets(client, anna):
    event = EventFactory(title="Семинар «Игра»")
    client.force_login(anna)
    response = client.post(f"/events/{event.pk}/sign-up/")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("„Игра“" in text for text in texts) and not any("»»" in text for text in texts), texts
