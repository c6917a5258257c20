"""The staff workbook import: reads an office's xlsx (its own column names, titles above the header,
a category and a course per person, or on sheets of their own), checks every row, and writes all rows
or none."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindergarten_portal.models import Organization
from kindergarten_portal.sheets.imports import CREATE, UNCHANGED, UPDATE, ImportResult, ImportRow
from kindergarten_portal.sheets.xlsx_in import (
    Column,
    ImportRefused,
    accepted,
    cell_text,
    choice_lookup,
    choice_of,
    clean_name,
    keyed,
    norm,
    open_workbook,
    parse_date,
    parse_whole_number,
    read_table,
)
from kindergarten_portal.sheets.xlsx_out import import_template

from .models import (
    TITLE_CATEGORIES,
    Category,
    CategoryDecision,
    EducationLevel,
    Employee,
    KindergartenGroup,
    Position,
    Sex,
    Training,
    TrainingKind,
)

_NAMES = (
    "ФИО",
    "Ф.И.О.",
    "Фамилия имя отчество",
    "ФИО полностью",
    "ФИО педагога",
    "ФИО сотрудника",
    "Педагог",
    "Сотрудник",
)
_SURNAME = Column("surname", gettext_lazy("Surname"), required=True, aliases=("Фамилия",))
_NAME = Column("name", gettext_lazy("Name"), required=True, aliases=("Имя",))
_PATRONYMIC = Column("patronymic", gettext_lazy("Patronymic"), aliases=("Отчество",))
_FULL_NAME = Column("full_name", gettext_lazy("Full name"), aliases=_NAMES)
_CATEGORY = Column(
    "category",
    gettext_lazy("Qualification category"),
    aliases=("Категория", "Кв. категория", "Квалификационная категория", "Категория (квалификационная)"),
)
_CATEGORY_DATE = Column(
    "category_date",
    gettext_lazy("Category decision date"),
    aliases=(
        "Дата присвоения категории",
        "Дата присвоения",
        "Дата аттестации",
        "Дата решения",
        "Категория с",
    ),
)
_CATEGORY_ORDER = Column(
    "category_order",
    gettext_lazy("Category order number"),
    aliases=(
        "Номер приказа",
        "№ приказа",
        "Приказ",
        "Приказ о присвоении категории",
        "Номер приказа о категории",
    ),
)
_COURSE_PROGRAMME = Column(
    "course_programme",
    gettext_lazy("Last course training"),
    aliases=(
        "Курсы",
        "КПК",
        "Курсы повышения квалификации",
        "Тема курсов",
        "Программа курсов",
        "Программа КПК",
    ),
)
_COURSE_PROVIDER = Column(
    "course_provider",
    gettext_lazy("Course provider"),
    aliases=("Где проходила курсы", "Место прохождения курсов", "Организация курсов", "Курсы где"),
)
_COURSE_HOURS = Column(
    "course_hours",
    gettext_lazy("Course hours"),
    aliases=("Кол-во часов", "Количество часов", "Объем курсов", "Объем часов", "Часы курсов"),
)
_COURSE_END = Column(
    "course_end",
    gettext_lazy("Course end date"),
    aliases=("Дата окончания курсов", "Окончание курсов", "Курсы окончены", "Дата окончания КПК"),
)
IMPORT_COLUMNS = [
    _SURNAME,
    _NAME,
    _PATRONYMIC,
    Column("sex", gettext_lazy("Sex"), aliases=("Пол",)),
    Column(
        "position", gettext_lazy("Position"), required=True, aliases=("Должность", "Занимаемая должность")
    ),
    Column("groups", gettext_lazy("Groups"), aliases=("Группа", "Группы", "Возрастная группа")),
    Column(
        "education_level",
        gettext_lazy("Education level"),
        aliases=("Образование", "Уровень образования"),
    ),
    Column(
        "education_institution",
        gettext_lazy("Educational institution"),
        aliases=("Учебное заведение", "Образовательное учреждение", "Что окончила", "Окончила", "Вуз"),
    ),
    Column("education_year", gettext_lazy("Year of graduation"), aliases=("Год окончания", "Год выпуска")),
    Column(
        "education_speciality",
        gettext_lazy("Speciality"),
        aliases=("Специальность", "Специальность по диплому", "Квалификация по диплому"),
    ),
    Column(
        "experience_start",
        gettext_lazy("Pedagogical experience since"),
        aliases=(
            "Стаж с",
            "Пед. стаж с",
            "Педстаж с",
            "Педагогический стаж с",
            "Дата начала педагогического стажа",
            "Начало пед. стажа",
        ),
    ),
    Column(
        "hire_date",
        gettext_lazy("Hire date"),
        aliases=("Дата приема", "Дата приема на работу", "Принята", "Принята на работу", "Дата поступления"),
    ),
    Column(
        "phone", gettext_lazy("Phone"), aliases=("Телефон", "Тел.", "Мобильный телефон", "Контактный телефон")
    ),
    Column("email", gettext_lazy("E-mail"), aliases=("Email", "Эл. почта", "Электронная почта", "Почта")),
    Column("birth_date", gettext_lazy("Date of birth"), aliases=("Дата рождения", "Д.р.", "Родилась")),
    _FULL_NAME,
    _CATEGORY,
    _CATEGORY_DATE,
    _CATEGORY_ORDER,
    _COURSE_PROGRAMME,
    _COURSE_PROVIDER,
    _COURSE_HOURS,
    _COURSE_END,
]
# The same columns on their own sheets, where the shorter names are unambiguous.
CATEGORY_SHEET = "Категории"
COURSE_SHEET = "Курсы"
CATEGORY_COLUMNS = [
    _SURNAME,
    _NAME,
    _PATRONYMIC,
    _FULL_NAME,
    Column(_CATEGORY.key, _CATEGORY.label, required=True, aliases=_CATEGORY.aliases),
    Column(
        _CATEGORY_DATE.key, _CATEGORY_DATE.label, required=True, aliases=(*_CATEGORY_DATE.aliases, "Дата")
    ),
    _CATEGORY_ORDER,
]
COURSE_COLUMNS = [
    _SURNAME,
    _NAME,
    _PATRONYMIC,
    _FULL_NAME,
    Column(
        _COURSE_PROGRAMME.key,
        _COURSE_PROGRAMME.label,
        required=True,
        aliases=(
            *_COURSE_PROGRAMME.aliases,
            "Программа",
            "Тема",
            "Название программы",
            "Наименование программы",
        ),
    ),
    Column(
        _COURSE_PROVIDER.key,
        _COURSE_PROVIDER.label,
        aliases=(*_COURSE_PROVIDER.aliases, "Организация", "Учреждение", "Где проходила"),
    ),
    Column(
        _COURSE_HOURS.key, _COURSE_HOURS.label, aliases=(*_COURSE_HOURS.aliases, "Часы", "Часов", "Объем")
    ),
    Column(
        _COURSE_END.key,
        _COURSE_END.label,
        aliases=(*_COURSE_END.aliases, "Дата окончания", "Окончание", "Дата"),
    ),
]
NAME_ALTERNATIVES = {"surname": ("full_name",), "name": ("full_name",)}
PERSON_KEYS = [c.key for c in IMPORT_COLUMNS[:15]]
DATE_KEYS = {"experience_start", "hire_date", "birth_date"}
# How people write the sex in a sheet, besides the choice's code and label.
SEX_WORDS = {
    **dict.fromkeys(("ж", "жен", "женский", "f", "female", "w", "woman"), Sex.FEMALE),
    **dict.fromkeys(("м", "муж", "мужской", "m", "male", "man"), Sex.MALE),
}
SCALAR_KEYS = [key for key in PERSON_KEYS if key != "groups"]
TITLE_REFUSED = gettext_lazy("Only a holder of the highest category can receive this title.")
HOUR_UNITS = {"ч", "час", "часа", "часов", "ак", "акад"}
BATCH = 500  # rows written a batch

# Sent inside the import's transaction once its bulk writes are done (they send no post_save), with
# the lists written: `employees` (created or updated), `decisions` (CategoryDecision created or
# changed) and `trainings` (the courses the written rows name). The apps that act on a staff
# record's save subscribe in their receivers.py.
staff_imported = Signal()

POSITION_SYNONYMS = {
    Position.EDUCATOR: ["восп", "воспитатель группы"],
    Position.SENIOR_EDUCATOR: ["ст. воспитатель", "старший воспитатель"],
    Position.MUSIC_DIRECTOR: ["муз. руководитель", "музрук", "музыкальный работник"],
    Position.PE_INSTRUCTOR: [
        "инструктор по физкультуре",
        "инструктор по физ. культуре",
        "инструктор по ФК",
        "инструктор ФК",
        "инструктор по физо",
        "физинструктор",
    ],
    Position.SPEECH_THERAPIST: ["логопед", "учитель логопед"],
    Position.DEFECTOLOGIST: ["дефектолог", "олигофренопедагог", "тифлопедагог", "сурдопедагог"],
    Position.PSYCHOLOGIST: ["психолог", "педагог психолог"],
    Position.ADDITIONAL_EDUCATION: ["ПДО", "педагог доп. образования"],
}
EDUCATION_SYNONYMS = {
    EducationLevel.HIGHER: [
        "высшее профессиональное",
        "высшее педагогическое",
        "высшее образование",
        "ВО",
        "ВПО",
        "бакалавриат",
        "магистратура",
        "специалитет",
    ],
    EducationLevel.SECONDARY_VOCATIONAL: [
        "среднее специальное",
        "средне-специальное",
        "среднее педагогическое",
        "среднее профессиональное педагогическое",
        "СПО",
        "ССО",
    ],
}
CATEGORY_SYNONYMS = {
    Category.HIGHEST: ["высшая категория", "высшая квалификационная категория", "ВКК", "высш"],
    Category.FIRST: ["1", "I", "первая категория", "первая квалификационная категория", "1 категория", "1КК"],
    Category.CONFORMITY: ["соответствие", "СЗД", "соответствует занимаемой должности"],
    Category.NONE: ["нет", "не имеет", "б/к", "без кв. категории"],
    Category.METHODIST: ["методист"],
    Category.MENTOR: ["наставник"],
}


@dataclass
class Decision:
    category: str
    decision_date: datetime.date
    order_number: str
    valid_until: datetime.date | None = None  # as the model's clean() sets it


@dataclass
class Course:
    programme: str
    provider: str
    hours: int | None
    end_date: datetime.date | None


@dataclass
class StaffRow(ImportRow):
    """A person of the file. `values` None: she is only in the «Категории» or «Курсы» sheet and her
    staff record is left as it is."""

    groups: list = field(default_factory=list)
    decision: Decision | None = None
    course: Course | None = None
    side_rows: dict = field(default_factory=dict)  # {"decision" | "course": its row on its own sheet}

    @property
    def full_name(self):
        return self.label


def staff_import_template() -> bytes:
    """An empty import workbook with the expected headers and one example row (with a current
    category and the last course training)."""
    return import_template(
        title=_("Staff"),
        columns=[c for c in IMPORT_COLUMNS if c.key != "full_name"],
        example=[
            "Иванова",
            "Мария",
            "Петровна",
            "ж",
            str(Position.EDUCATOR.label),
            "Солнышко; Ромашка",
            str(EducationLevel.HIGHER.label),
            "Уральский государственный педагогический университет",
            2012,
            "Дошкольная педагогика и психология",
            datetime.date(2012, 9, 1),
            datetime.date(2015, 8, 25),
            "+7 900 000-00-00",
            "ivanova@example.org",
            datetime.date(1990, 4, 12),
            str(Category.FIRST.label),
            datetime.date(2024, 3, 28),
            "№ 412-Д",
            "Содержание и организация образовательной деятельности в ДОО в условиях реализации ФОП ДО",
            "ИРО Свердловской области",
            72,
            datetime.date(2025, 4, 18),
        ],
        min_width=14,
    )


def split_full_name(text) -> tuple[str, str, str]:
    """«Иванова Мария Петровна» → (surname, name, patronymic); ValueError without a name."""
    parts = clean_name(text).split(" ")
    if len(parts) < 2 or not parts[0]:
        raise ValueError(text)
    return parts[0], parts[1], " ".join(parts[2:])


class _StaffReader:
    """Reads the workbook's sheets into StaffRows, collecting errors in `result` (one import)."""

    def __init__(self, result):
        self.result = result
        self.today = timezone.localdate()
        self.positions = choice_lookup(Position, POSITION_SYNONYMS)
        self.education = choice_lookup(EducationLevel, EDUCATION_SYNONYMS)
        self.categories = choice_lookup(Category, CATEGORY_SYNONYMS)
        self.sexes = choice_lookup(Sex) | SEX_WORDS
        self.existing = {}
        for employee in Employee.objects.prefetch_related("groups", "category_decisions", "trainings"):
            self.existing.setdefault(norm(employee.full_name), []).append(employee)
        # Groups by cleaned name: the stored spelling, else the first one the file uses.
        self.groups = {norm(g.name): g.name for g in KindergartenGroup.objects.all()}
        self.new_groups = []
        self.people = {}  # norm(full name) -> StaffRow

    def error(self, table, row, key, message):
        self.result.error(row, table.header_of(key), message, table.title if table.named else "")

    def names(self, table, number, cells):
        """(surname, name, patronymic) from the three columns or from «ФИО»; None after an error."""
        surname, name, patronymic = (clean_name(cells.get(k)) for k in ("surname", "name", "patronymic"))
        if not (surname or name) and cell_text(cells.get("full_name")):
            try:
                return split_full_name(cells["full_name"])
            except ValueError:
                self.error(
                    table,
                    number,
                    "full_name",
                    _("«%(value)s»: write the surname, the name and the patronymic.")
                    % {"value": cell_text(cells["full_name"])},
                )
                return None
        missing = False
        for key, value in (("surname", surname), ("name", name)):
            if not value:
                self.error(
                    table, number, key if table.has(key) else "full_name", _("this field is required.")
                )
                missing = True
        return None if missing else (surname, name, patronymic)

    def date(self, table, number, key, value):
        try:
            day = parse_date(value)
        except ValueError:
            self.error(
                table,
                number,
                key,
                _("«%(value)s» is not a date; use DD.MM.YYYY.") % {"value": cell_text(value)},
            )
            return None, False
        if day and day > self.today:
            self.error(table, number, key, _("the date is in the future."))
            return None, False
        return day, True

    def decision(self, table, number, cells):
        """The current category decision of the row, None if it gives none; False after an error."""
        text = cell_text(cells.get("category"))
        date_text = cell_text(cells.get("category_date"))
        order = clean_name(cells.get("category_order"))
        if not keyed(text):
            if date_text or order:
                self.error(table, number, "category", _("this field is required."))
                return False
            return None
        category = choice_of(self.categories, text)
        if category is None:
            self.error(
                table,
                number,
                "category",
                accepted(_("unknown category «%(value)s».") % {"value": text}, Category),
            )
            return False
        day, ok = self.date(table, number, "category_date", cells.get("category_date"))
        if not ok:
            return False
        if category == Category.NONE:
            return None
        if day is None:
            self.error(
                table, number, "category_date", _("the date of the decision is required with a category.")
            )
            return False
        candidate = CategoryDecision(category=category, decision_date=day, order_number=order)
        try:
            candidate.full_clean(exclude=["employee"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                key = {"order_number": "category_order", "decision_date": "category_date"}.get(
                    field_name, "category"
                )
                self.error(table, number, key, " ".join(messages))
            return False
        return Decision(
            category=category, decision_date=day, order_number=order, valid_until=candidate.valid_until
        )

    def course(self, table, number, cells):
        """The last course training of the row, None if it gives none; False after an error."""
        programme = clean_name(cells.get("course_programme"))
        provider = clean_name(cells.get("course_provider"))
        hours_text = cell_text(cells.get("course_hours"))
        if not programme:
            if provider or hours_text or cell_text(cells.get("course_end")):
                self.error(table, number, "course_programme", _("this field is required."))
                return False
            return None
        ok = True
        try:
            hours = parse_whole_number(cells.get("course_hours"), units=HOUR_UNITS)
        except ValueError:
            self.error(
                table,
                number,
                "course_hours",
                _("«%(value)s» is not a number of hours, such as 72.") % {"value": hours_text},
            )
            hours, ok = None, False
        end, end_ok = self.date(table, number, "course_end", cells.get("course_end"))
        if not (ok and end_ok):
            return False
        candidate = Training(
            kind=TrainingKind.COURSE, programme=programme, provider=provider, hours=hours, end_date=end
        )
        try:
            candidate.full_clean(exclude=["employee"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                self.error(
                    table,
                    number,
                    f"course_{field_name}" if field_name in ("provider", "hours") else "course_programme",
                    " ".join(messages),
                )
            return False
        return Course(programme=programme, provider=provider, hours=hours, end_date=end)

    def person_row(self, table, number, cells):
        errors_before = self.result.error_count
        names = self.names(table, number, cells)
        values = {}
        for key in ("education_institution", "education_speciality", "phone"):
            values[key] = clean_name(cells.get(key))

        position_text = cell_text(cells.get("position"))
        values["position"] = choice_of(self.positions, position_text)
        if not position_text:
            self.error(table, number, "position", _("this field is required."))
        elif values["position"] is None:
            self.error(
                table,
                number,
                "position",
                accepted(_("unknown position «%(value)s».") % {"value": position_text}, Position),
            )

        sex_text = cell_text(cells.get("sex"))
        values["sex"] = ""
        if sex_text:
            values["sex"] = self.sexes.get(norm(sex_text).rstrip("."), "")
            if not values["sex"]:
                self.error(
                    table, number, "sex", _("«%(value)s» is not a sex; write ж or м.") % {"value": sex_text}
                )

        level_text = cell_text(cells.get("education_level"))
        values["education_level"] = (choice_of(self.education, level_text) or "") if level_text else ""
        if level_text and not values["education_level"]:
            self.error(
                table,
                number,
                "education_level",
                accepted(_("unknown education level «%(value)s».") % {"value": level_text}, EducationLevel),
            )

        year_text = cell_text(cells.get("education_year"))
        values["education_year"] = None
        if year_text:
            year = (
                parse_date(cells["education_year"]).year
                if isinstance(cells["education_year"], datetime.date)
                else None
            )
            if year is None and year_text.isdigit():
                year = int(year_text)
            if year and 1940 <= year <= self.today.year:
                values["education_year"] = year
            else:
                self.error(
                    table, number, "education_year", _("«%(value)s» is not a year.") % {"value": year_text}
                )

        for key in sorted(DATE_KEYS):
            values[key], _ok = self.date(table, number, key, cells.get(key))

        values["email"] = cell_text(cells.get("email"))
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                self.error(
                    table,
                    number,
                    "email",
                    _("«%(value)s» is not an e-mail address.") % {"value": values["email"]},
                )

        group_names = []
        for part in cell_text(cells.get("groups")).replace(",", ";").split(";"):
            name = clean_name(part)
            if name and norm(name) not in {norm(g) for g in group_names}:
                group_names.append(self.groups.get(norm(name), name))

        decision = self.decision(table, number, cells)
        course = self.course(table, number, cells)
        if names is None:
            return
        values["surname"], values["name"], values["patronymic"] = names
        full_name = " ".join(v for v in names if v)
        key = norm(full_name)
        if key in self.people:
            self.error(
                table,
                number,
                "surname" if table.has("surname") else "full_name",
                _("%(name)s is already in row %(row)d.") % {"name": full_name, "row": self.people[key].row},
            )
            return
        matches = self.existing.get(key, [])
        if len(matches) > 1:
            self.error(
                table,
                number,
                "surname" if table.has("surname") else "full_name",
                _("several employees are called %(name)s; edit them in the admin.") % {"name": full_name},
            )
        elif decision and self.title_refused(decision, matches[0] if matches else None):
            self.error(table, number, "category", str(TITLE_REFUSED))
        if self.result.error_count > errors_before:
            return

        stored = matches[0] if matches else None
        if stored is not None:
            # Updating someone already on record: what the file leaves blank (or has no column for)
            # keeps its stored value, and her name keeps its stored spelling.
            for name_key in ("surname", "name", "patronymic"):
                values[name_key] = getattr(stored, name_key)
            for scalar in SCALAR_KEYS:
                if values[scalar] in ("", None):
                    values[scalar] = getattr(stored, scalar)
            if not group_names:
                group_names = [g.name for g in stored.groups.all()]
            full_name = stored.full_name
        candidate = (
            Employee(**{k: getattr(stored, k) for k in SCALAR_KEYS} | {"pk": stored.pk})
            if stored
            else Employee()
        )
        for field_name, value in values.items():
            setattr(candidate, field_name, value)
        try:
            # The model's clean() states its check constraints: checking them again here would cost a
            # query a row (Django checks a constraint in SQL).
            candidate.full_clean(exclude=["user", "photo"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                self.error(table, number, field_name, " ".join(messages))
            return
        for name in group_names:
            if norm(name) not in self.groups:
                self.groups[norm(name)] = name
                self.new_groups.append(name)
        row = StaffRow(
            row=number, action=CREATE, label=full_name, values=values, obj=stored, groups=group_names
        )
        if decision:
            row.decision = decision
        if course:
            row.course = course
        self.people[key] = row

    def side_row(self, table, number, cells, what):
        """A row of the «Категории» or «Курсы» sheet, joined to the person by full name."""
        errors_before = self.result.error_count
        names = self.names(table, number, cells)
        found = (
            self.decision(table, number, cells) if what == "decision" else self.course(table, number, cells)
        )
        if names is None or self.result.error_count > errors_before or not found:
            return
        full_name = " ".join(v for v in names if v)
        key = norm(full_name)
        row = self.people.get(key)
        if row is None:
            matches = self.existing.get(key, [])
            if len(matches) != 1:
                self.error(
                    table,
                    number,
                    "surname" if table.has("surname") else "full_name",
                    _("%(name)s is neither in the staff sheet nor on record.") % {"name": full_name}
                    if not matches
                    else _("several employees are called %(name)s; edit them in the admin.")
                    % {"name": full_name},
                )
                return
            row = StaffRow(row=number, action=UNCHANGED, label=matches[0].full_name, obj=matches[0])
            row.groups = [g.name for g in matches[0].groups.all()]
            self.people[key] = row
        if what in row.side_rows:
            self.error(
                table,
                number,
                "surname" if table.has("surname") else "full_name",
                _("%(name)s is already in row %(row)d.") % {"name": full_name, "row": row.side_rows[what]},
            )
            return
        if what == "decision" and self.title_refused(found, row.obj):
            self.error(table, number, "category", str(TITLE_REFUSED))
            return
        setattr(row, what, found)
        row.side_rows[what] = number

    def title_refused(self, decision, employee) -> bool:
        """Whether `decision` gives a title (методист, наставник) she may not receive: the model's
        clean() rule, read from her stored decisions already in memory (a query a row otherwise).
        One on record under the same order number is left as it is, so it is not checked again."""
        if decision.category not in TITLE_CATEGORIES:
            return False
        stored = _decision_match(employee, decision)
        if stored is not None and (not decision.order_number or stored.order_number == decision.order_number):
            return False
        held = employee.category_decisions.all() if employee is not None else []
        return not any(d.category == Category.HIGHEST and d.in_force_on(decision.decision_date) for d in held)


def _decision_match(employee, decision):
    if employee is None:
        return None
    return next(
        (
            d
            for d in employee.category_decisions.all()
            if d.category == decision.category and d.decision_date == decision.decision_date
        ),
        None,
    )


def _course_match(employee, course):
    if employee is None:
        return None
    return next(
        (
            t
            for t in employee.trainings.all()
            if t.kind == TrainingKind.COURSE
            and keyed(t.programme) == keyed(course.programme)
            and t.end_date == course.end_date
        ),
        None,
    )


def _settle(row, labels):
    """The row's action and changed columns, against her stored record (`labels`: column names by key)."""
    employee = row.obj
    changed = []
    if row.values is not None and employee is not None:
        changed = [k for k in SCALAR_KEYS if getattr(employee, k) != row.values[k]]
        if sorted(norm(g.name) for g in employee.groups.all()) != sorted(norm(g) for g in row.groups):
            changed.append("groups")
    if row.decision is not None:
        match = _decision_match(employee, row.decision)
        if match is None or (row.decision.order_number and match.order_number != row.decision.order_number):
            changed.append("category")
    if row.course is not None:
        match = _course_match(employee, row.course)
        if match is None or any(
            new not in ("", None) and getattr(match, name) != new
            for name, new in (("provider", row.course.provider), ("hours", row.course.hours))
        ):
            changed.append("course_programme")
    row.changed = changed
    row.changed_labels = [labels[k] for k in changed]
    if employee is None:
        row.action = CREATE
    else:
        row.action = UPDATE if changed else UNCHANGED


def staff_import(*, file, dry_run: bool, organization=None) -> ImportResult:
    """Validate every row of a staff workbook; write all rows only if every row is valid.

    The header may stand below titles; columns are found by their usual names in any order (a full
    name in one «ФИО» column too). Each person may bring her current category decision and last
    course training, as columns of the sheet or on sheets «Категории» and «Курсы» (matched by name).
    Rows are matched to existing employees by full name (case-, space- and ё-insensitive): a match
    is updated, otherwise a new employee is created; what equals the record changes nothing.
    Returns an ImportResult whose `errors` name the row and column of each problem.
    """
    result = ImportResult(dry_run=dry_run)
    try:
        workbook = open_workbook(file)
    except ImportRefused as exc:
        result.error(None, "", str(exc))
        return result
    try:
        reader = _StaffReader(result)
        sheets = {norm(ws.title): ws for ws in workbook.worksheets}
        side = {
            norm(CATEGORY_SHEET): (CATEGORY_COLUMNS, "decision"),
            norm(COURSE_SHEET): (COURSE_COLUMNS, "course"),
        }
        main = next((ws for ws in workbook.worksheets if norm(ws.title) not in side), None)
        named = len(workbook.worksheets) > 1 and any(title in side for title in sheets)
        tables = []
        if main is not None:
            tables.append(
                (read_table(main, IMPORT_COLUMNS, alternatives=NAME_ALTERNATIVES, named=named), None)
            )
        for title, (columns, what) in side.items():
            if title in sheets:
                tables.append(
                    (read_table(sheets[title], columns, alternatives=NAME_ALTERNATIVES, named=True), what)
                )
        for table, _what in tables:
            for issue in table.issues:
                result.add(issue)
            result.ignore(table.ignored, table.title if table.named else "")
        if result.errors:
            return result
        for table, what in tables:
            for number, cells in table.rows():
                if what is None:
                    reader.person_row(table, number, cells)
                else:
                    reader.side_row(table, number, cells, what)
    finally:
        workbook.close()

    result.rows = list(reader.people.values())
    labels = {c.key: str(c.label) for c in IMPORT_COLUMNS}
    for row in result.rows:
        _settle(row, labels)
    if reader.new_groups:
        result.notes.append(_("New groups: %(names)s") % {"names": ", ".join(reader.new_groups)})
    if not result.rows and not result.errors:
        result.error(None, "", _("The sheet has no rows with data."))
    if result.errors or dry_run:
        return result

    _write(result.rows, new_groups=reader.new_groups, kindergarten=organization)
    result.written = True
    return result


def _write(rows, *, new_groups, kindergarten=None):
    """Write the checked rows in one transaction, in bulk: BATCH rows at a time, each batch in a
    fixed number of queries (bulk_create and bulk_update), so the queries grow with the batches,
    never with the rows, and memory holds one batch of new records. Everything was checked while
    reading; the check constraints are left to the database, which refuses a wrong row inside this
    transaction. Bulk writes send no post_save, so `staff_imported` tells the apps that follow a
    staff record's save (portfolio entries, a dismissed teacher's sign-ups) what each batch wrote."""
    written = [row for row in rows if row.action != UNCHANGED]
    with transaction.atomic():
        # The kindergarten the new records and groups belong to (the portal's own while it serves one).
        kindergarten = kindergarten or Organization.objects.own_or_create()
        groups = {norm(g.name): g for g in KindergartenGroup.objects.all()}
        made = KindergartenGroup.objects.bulk_create(
            [KindergartenGroup(name=n, organization=kindergarten) for n in new_groups]
        )
        for group in made:
            groups[norm(group.name)] = group
        for start in range(0, len(written), BATCH):
            _write_batch(written[start : start + BATCH], groups=groups, kindergarten=kindergarten)


def _write_batch(rows, *, groups, kindergarten):
    employees = {}  # the row's index -> the record its `values` write
    new_people, changed_people, regrouped = [], [], []
    for index, row in enumerate(rows):
        if row.values is None:
            continue
        employee = row.obj or Employee()
        for key, value in row.values.items():
            setattr(employee, key, value)
        employees[index] = employee
        if row.obj is None:
            employee.organization = kindergarten
            new_people.append(employee)
        elif set(row.changed) & set(SCALAR_KEYS):
            changed_people.append(employee)
        if row.obj is None or "groups" in row.changed:
            regrouped.append((employee, row.groups))
    Employee.objects.bulk_create(new_people)
    Employee.objects.bulk_update(changed_people, SCALAR_KEYS)
    through = Employee.groups.through
    through.objects.filter(
        employee__in=[row.obj for row in rows if row.obj and "groups" in row.changed]
    ).delete()
    through.objects.bulk_create(
        [
            through(employee=employee, kindergartengroup=groups[norm(name)])
            for employee, names in regrouped
            for name in names
        ]
    )

    new_decisions, changed_decisions, courses, new_courses, changed_courses = [], [], [], [], []
    for index, row in enumerate(rows):
        employee = employees.get(index, row.obj)
        if row.decision is not None:
            stored = _decision_match(row.obj, row.decision)
            if stored is None:
                new_decisions.append(
                    CategoryDecision(
                        employee=employee,
                        category=row.decision.category,
                        decision_date=row.decision.decision_date,
                        order_number=row.decision.order_number,
                        valid_until=row.decision.valid_until,
                    )
                )
            elif row.decision.order_number and stored.order_number != row.decision.order_number:
                stored.order_number = row.decision.order_number
                changed_decisions.append(stored)
        if row.course is not None:
            stored = _course_match(row.obj, row.course)
            if stored is None:
                stored = Training(
                    employee=employee,
                    kind=TrainingKind.COURSE,
                    programme=row.course.programme,
                    end_date=row.course.end_date,
                )
                new_courses.append(stored)
            provider = row.course.provider or stored.provider
            hours = row.course.hours if row.course.hours is not None else stored.hours
            if stored.pk and (stored.provider, stored.hours) != (provider, hours):
                changed_courses.append(stored)
            stored.provider, stored.hours = provider, hours
            courses.append(stored)
    CategoryDecision.objects.bulk_create(new_decisions)
    CategoryDecision.objects.bulk_update(changed_decisions, ["order_number"])
    Training.objects.bulk_create(new_courses)
    Training.objects.bulk_update(changed_courses, ["provider", "hours"])
    staff_imported.send(
        sender=Employee,
        employees=list(employees.values()),
        decisions=new_decisions + changed_decisions,
        trainings=courses,
    )
