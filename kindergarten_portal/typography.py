"""Russian typography every app may use: quotes inside quotes, words in a person's gender.

Part of the ground (like roles.py and the outbox): it imports no app.
"""

import re

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


# Russian letters in Latin as the passport office writes them (order of the Ministry of Internal
# Affairs No. 889, the ICAO table): «Солнышко» → solnyshko, «Берёзка» → berezka.
_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y  e iu ia".split(" "),
        strict=True,
    )
)


def slug_of(name: str, max_length: int = 60) -> str:
    """A web address part from a Russian name: «Детский сад № 7 «Берёзка»» → detskii-sad-7-berezka."""
    latin = "".join(_LATIN.get(letter, letter) for letter in name.lower())
    words = re.findall(r"[a-z0-9]+", latin)
    return "-".join(words)[:max_length].strip("-")
