"""Words on pages that must agree: with the person they speak of, and with Russian usage."""

from django import template
from django.utils import formats
from django.utils.translation import get_language

from kindergarten_portal.typography import gendered as gendered_message
from kindergarten_portal.typography import inner_quotes as inner_quotes_text

register = template.Library()


@register.filter
def gendered(message, person):
    """{{ "signed up"|gendered:teacher }} → «записана» / «записан»; a person without a sex on file
    (or None: a partner) gets the neutral form."""
    return gendered_message(message, getattr(person, "sex", ""))


@register.filter(expects_localtime=True)
def date_weekday_time(value):
    """«12.12.2026, суббота 10:00»: in Russian a weekday after a date is a common noun, in lower
    case (Django's catalogue capitalises it for use on its own); English keeps its capital."""
    if not value:
        return ""
    weekday = formats.date_format(value, "l")
    if (get_language() or "").startswith("ru"):
        weekday = weekday.lower()
    return f"{formats.date_format(value, 'd.m.Y')}, {weekday} {formats.time_format(value, 'H:i')}"


@register.filter
def inner_quotes(text):
    """«{{ event.title|inner_quotes }}»: the title's own «…» become „…“."""
    return inner_quotes_text(text)


@register.filter(expects_localtime=True)
def month_in_text(value):
    """«январь 2027» inside a sentence («План мероприятий: январь 2027»): in Russian a month's name
    is a common noun, in lower case after a colon (Django's catalogue capitalises it for use on its
    own, as in a heading or the month switcher); English keeps its capital."""
    if not value:
        return ""
    text = formats.date_format(value, "F Y")
    return text.lower() if (get_language() or "").startswith("ru") else text
