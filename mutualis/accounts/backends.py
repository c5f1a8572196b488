"""Django's ModelBackend, with the signed-in user read by a query prepared once per process.

Every signed-in request reads its user by primary key; the rules (`is_active`, the session's
password hash check in `django.contrib.auth.get_user`) are Django's own.
"""

from django.contrib.auth import backends

from mutualis.accounts.models import User
from mutualis.core.prepared import ID_PLACEHOLDER, PreparedQuery

_BY_ID = PreparedQuery(lambda user_id: User.objects.filter(pk=user_id)[:1], user_id=ID_PLACEHOLDER)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        if not isinstance(user_id, int):
            return super().get_user(user_id)  # not an integer: Django's own lookup answers
        user = _BY_ID.first(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
