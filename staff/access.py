"""Which staff records a user may see, enforced in the query (someone else's record is a 404)."""

from django.shortcuts import get_object_or_404

from kindergarten_portal.roles import can_read_everything

from .models import Employee, Training


def employees_visible_to(user):
    if can_read_everything(user):
        return Employee.objects.all()
    if user.is_authenticated:
        return Employee.objects.filter(user=user)
    return Employee.objects.none()


def get_employee_for_user(user, pk):
    return get_object_or_404(employees_visible_to(user), pk=pk)


def get_training_for_user(user, pk):
    """A course, retraining or degree of a staff record the user may see (her own, or any for the
    senior educator and the head), else 404."""
    return get_object_or_404(Training.objects.filter(employee__in=employees_visible_to(user)), pk=pk)
