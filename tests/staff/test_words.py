"""Words that agree with the teacher they speak of («записана» / «записан»)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from events.models import ROLE_MSGIDS, STATUS_MSGIDS
from staff.models import Employee, gendered


def test_a_person_without_a_sex_on_file_gets_the_neutral_form():
    with translation.override("ru"):
        assert gendered("signed up", "") == "записан(а)"
        assert Employee(sex="").gendered("attended") == "присутствовал(а)"
        assert Template('{% load words %}{{ "signed up"|gendered:None }}').render(Context()) == "записан(а)"


def test_english_keeps_its_one_form():
    with translation.override("en"):
        assert gendered("speaker", "female") == gendered("speaker", "male") == "speaker"


def _catalogue_entries():
    """(context, msgid) pairs translated in the committed catalogue or a pending one."""
    texts = [Path(settings.BASE_DIR, "locale/ru/LC_MESSAGES/django.po").read_text()]
    texts += [p.read_text() for p in Path(settings.BASE_DIR, "locale/pending").glob("*.po")]
    pattern = re.compile(r'msgctxt "(\w+)"\nmsgid "([^"]+)"\nmsgstr "([^"]+)"')
    return {(ctx, msgid) for text in texts for ctx, msgid, _msgstr in pattern.findall(text)}


@pytest.mark.parametrize("msgid", sorted({*ROLE_MSGIDS.values(), *STATUS_MSGIDS.values()}))
def test_every_word_about_a_teacher_has_a_female_and_a_male_form(msgid):
    entries = _catalogue_entries()
    assert ("female", msgid) in entries and ("male", msgid) in entries
