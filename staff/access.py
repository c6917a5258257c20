"""Which staff records a user may see, enforced in the query (someone else's record is a 404)."""

from django.shortcuts import get_object_or_404

from kindergarten_portal.roles import can_read_everything

from .models import Employee


def employees_visible_to(user):
    if can_read_everything(user):
        return Employee.objects.all()
    if user.is_authenticated:
        return Employee.objects.filter(user=user)
    return Employee.objects.none()


def get_employee_for_user(user, pk):
    return get_object_or_404(employees_visible_to(user), pk=pk)
