"""Which staff record an account works under. One account through a teacher's working life: when she
moves, her old kindergarten gives its record a dismissal date and the new one adds its own, linked to
the same account (staff.services.accounts_create_for_teachers). Her history stays with the record, so
with the kindergarten that verified it.

Part of the ground: it reads the staff model through the account's relation, importing no app."""

from django.db.models import F


def staff_records(user_model):
    """Every kindergarten's staff records, unscoped: the sign-in reads them before the request's scope
    opens (the scope is chosen from them), and an account moves between kindergartens."""
    return user_model.employments.field.model._base_manager


def _records(user):
    """Her staff records, the one she works under first."""
    return (
        staff_records(type(user))
        .filter(user=user)
        .order_by(F("dismissal_date").desc(nulls_first=True), F("hire_date").desc(nulls_last=True), "-pk")
    )


def current_employment(user):
    """The staff record the account works under: the one without a dismissal date (there is at most
    one), else her last one, dismissed; None for an account with no staff record. The sign-in backend
    reads it with the request's user; for another user object it is read once and kept on it."""
    if not user.is_authenticated:
        return None
    try:
        return user._current_employment
    except AttributeError:
        pass
    user._current_employment = _records(user).first()
    return user._current_employment


def has_left_a_kindergarten(user) -> bool:
    """Whether the account has a staff record with a dismissal date: a kindergarten she left (or is
    leaving), whose approved entries she may carry. Read with the user by the sign-in backend."""
    if not user.is_authenticated:
        return False
    try:
        return user.had_records
    except AttributeError:
        return _records(user).filter(dismissal_date__isnull=False).exists()
