"""Django's database sessions, read with a query prepared once per process.

Every signed-in request reads its session row: through the ORM, building that query cost more than
running it. The row, the expiry rule and the decoding are Django's own (`db.SessionStore`); only the
read goes through `core.prepared.PreparedQuery`. SESSION_ENGINE = "mutualis.accounts.sessions".
"""

import logging

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from mutualis.core.prepared import DATETIME_PLACEHOLDER, TEXT_PLACEHOLDER, PreparedQuery

_UNEXPIRED = PreparedQuery(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1],
    key=TEXT_PLACEHOLDER,
    now=DATETIME_PLACEHOLDER,
)


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        return Session

    def _get_session_from_db(self):
        try:
            session = _UNEXPIRED.first(key=self.session_key, now=timezone.now())
        except SuspiciousOperation as e:  # as Django's own store answers it
            logging.getLogger(f"django.security.{e.__class__.__name__}").warning(str(e))
            session = None
        if session is None:
            self._session_key = None
        return session
