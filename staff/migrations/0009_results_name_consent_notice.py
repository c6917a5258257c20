"""Names in published event results now need each teacher's consent, which nobody has given yet on
an existing install: the senior educators are told so once, by an e-mail in the outbox. A new
install (no staff yet when it migrates) has nobody to tell."""

from django.db import migrations

SUBJECT = "Итоги мероприятий: имена педагогов — только с их согласия"
BODY = """Здравствуйте!

С этой версии портала опубликованные итоги мероприятий и их лента называют педагога по имени только
с её отдельного согласия на распространение (152-ФЗ, ст. 10.1). Согласия пока не дал никто, поэтому
сейчас вместо имён в итогах указаны должность и детский сад.

Педагог даёт или отзывает согласие сама: «Моя страница» → «Моё имя в итогах мероприятий». На странице
мероприятия в администрировании (раздел «Итоги») видно, кто будет указан без имени.

Портал методического кабинета
"""


def tell_the_office(apps, schema_editor):
    Employee = apps.get_model("staff", "Employee")
    if not Employee.objects.exists():
        return
    User = apps.get_model("auth", "User")
    OutboxMessage = apps.get_model("kindergarten_portal", "OutboxMessage")
    for user in (
        User.objects.filter(groups__name="senior_educator", is_active=True).exclude(email="").distinct()
    ):
        OutboxMessage.objects.get_or_create(
            key=f"staff.results_name_consent_notice:{user.pk}",
            defaults={
                "kind": "staff.results_name_consent_notice",
                "recipient": user.email,
                "subject": SUBJECT,
                "body": BODY,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0008_employee_results_name_consent"),
        ("kindergarten_portal", "0003_outbox_sender_retries"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(tell_the_office, migrations.RunPython.noop)]
