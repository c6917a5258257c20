"""Test data builders (factory_boy). Personas live in conftest.py."""

import datetime
import struct
import zlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kindergarten_portal.roles import HEAD, SENIOR_EDUCATOR, TEACHER
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
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if extracted in (SENIOR_EDUCATOR, HEAD):
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class KindergartenGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KindergartenGroup

    name = factory.Sequence(lambda n: f"Группа {n}")
    age_band = "4–5 лет"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

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
