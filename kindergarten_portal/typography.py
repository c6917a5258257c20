"""Russian typography every app may use: quotes inside quotes, words in a person's gender.

Part of the ground (like roles.py and the outbox): it imports no app.
"""

from django.utils.translation import gettext, ngettext, pgettext

INNER = str.maketrans({"«": "„", "»": "“"})


def inner_quotes(text) -> str:
    """Text to be put inside «…»: its own «…» become „…“, so quotes never nest as «…«…»…»
    (an event «Семинар «Игра»» reads «Семинар „Игра“»)."""
    return str(text or "").translate(INNER)


def gendered(message: str, sex: str) -> str:
    """`message`, an English msgid that speaks of a person ("signed up", "speaker"), in the
    grammatical gender of a person of `sex` ("female" or "male", the values of staff's `Sex`): the
    catalogue's form under that context («записана», «записан»; «выступающая», «выступающий»); the
    plain, neutral form («записан(а)») when the sex is not on file, as for partners from other
    organizations."""
    if sex in ("female", "male"):
        return pgettext(sex, message)
    return gettext(message)


def days(count: int) -> str:
    """«365 дней», «1 день», «22 дня»: a number of days with its noun in the right form."""
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def full_stop(text) -> str:
    """`text` closed by a full stop, unless it ends with one already: a list of names that ends
    with initials («записаны: Зайцева М.О.») takes no second one."""
    text = str(text)
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."
