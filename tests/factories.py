"""Test data builders (factory_boy). Personas live in conftest.py."""

import datetime
import io
import struct
import zlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from kindergarten_portal.access.roles import HEAD, SENIOR_EDUCATOR, TEACHER
from kindergarten_portal.models import Organization, Role
from staff.models import (
    Category,
    CategoryDecision,
    ConformityDecision,
    Employee,
    KindergartenGroup,
    Leave,
    LeaveKind,
    Mentorship,
    Position,
    Training,
)

PASSWORD = "test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, kindergarten=None, **kwargs):
        """role=SENIOR_EDUCATOR: the senior educator of our kindergarten (made when missing), or of
        another one given as role__kindergarten=…"""
        if create and extracted:
            if extracted in (SENIOR_EDUCATOR, HEAD):
                if kindergarten is None:
                    Organization.objects.own_or_create()
                else:
                    Role.objects.get_or_create(user=self, organization=kindergarten, role=extracted)
            self.groups.add(Group.objects.get(name=extracted))
            if extracted in (SENIOR_EDUCATOR, HEAD):
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class KindergartenGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KindergartenGroup

    organization = factory.LazyFunction(lambda: Organization.objects.own_or_create())
    name = factory.Sequence(lambda n: f"Группа {n}")
    age_band = "4–5 лет"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    organization = factory.LazyFunction(lambda: Organization.objects.own_or_create())
    surname = factory.Sequence(lambda n: f"Фамилия{n}")
    name = "Мария"
    patronymic = "Ивановна"
    position = Position.EDUCATOR
    experience_start = datetime.date(2015, 9, 1)
    hire_date = datetime.date(2016, 9, 1)


class CategoryDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryDecision

    employee = factory.SubFactory(EmployeeFactory)
    category = Category.FIRST
    decision_date = datetime.date(2024, 3, 1)
    order_number = factory.Sequence(lambda n: f"{n}-Д")


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    employee = factory.SubFactory(EmployeeFactory)
    programme = "Современные образовательные технологии"
    provider = "ИРО"
    hours = 72
    start_date = datetime.date(2025, 1, 10)
    end_date = datetime.date(2025, 1, 24)


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    mentor = factory.SubFactory(EmployeeFactory)
    mentee = factory.SubFactory(EmployeeFactory)
    start_date = datetime.date(2025, 9, 1)


def teacher_user(username, *, surname=None, **employee_fields):
    """A user in the Teacher group linked to a new staff record."""
    user = UserFactory(username=username, role=TEACHER)
    EmployeeFactory(user=user, surname=surname or username.capitalize(), **employee_fields)
    return user


def png_claiming(width, height) -> bytes:
    """A tiny PNG whose header claims width × height (a decompression bomb needs no pixel data)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


class ConformityDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConformityDecision

    employee = factory.SubFactory(EmployeeFactory)
    decision_date = datetime.date(2022, 3, 14)
    order_number = factory.Sequence(lambda n: f"{n}-А")


class LeaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leave

    employee = factory.SubFactory(EmployeeFactory)
    kind = LeaveKind.CHILD_CARE
    start_date = datetime.date(2024, 5, 28)
    end_date = None


def _action(kind):
    if kind == "launch":
        return DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
        )
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def pdf_bytes(*, active=None) -> bytes:
    """A real one-page PDF (pypdf reads it through); `active` adds what a hostile PDF carries:
    "names_js" (document JavaScript), "open_action_js", "page_aa_js" (a page's additional action),
    "annotation_launch" (a link that starts a program), "embedded_file"."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 100)
    if active == "names_js":
        tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), _action("js")])})
        writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    elif active == "open_action_js":
        writer.root_object[NameObject("/OpenAction")] = _action("js")  # a direct dictionary, as allowed
    elif active == "page_aa_js":
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _action("js")})
    elif active == "annotation_launch":
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject(
                    [FloatObject(0), FloatObject(0), FloatObject(50), FloatObject(50)]
                ),
                NameObject("/A"): _action("launch"),
            }
        )
        writer.add_annotation(page, link)
    elif active == "embedded_file":
        writer.add_attachment("run.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
