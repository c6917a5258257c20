"""Russian typography every app may use: quotes inside quotes.

Part of the ground (like roles.py and the outbox): it imports no app.
"""

INNER = str.maketrans({"«": "„", "»": "“"})


def inner_quotes(text) -> str:
    """Text to be put inside «…»: its own «…» become „…“, so quotes never nest as «…«…»…»
    (an event «Семинар «Игра»» reads «Семинар „Игра“»)."""
    return str(text or "").translate(INNER)
