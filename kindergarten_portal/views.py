from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from staff.selectors import employee_for_user


@login_required
def home(request):
    return render(request, "home.html", {"employee": employee_for_user(request.user)})
