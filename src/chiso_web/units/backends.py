"""Sign-in backend: Django's model backend, with the user of each request read from a
small per-process cache.

Every signed-in request loads its user by id (``AuthenticationMiddleware``).  Under load
that query was a third of a cached ranking request, so the row is kept for
:data:`USER_SECONDS`; a change saved through the site (password, deactivation, roles in
the admin) clears the cache at once, and one made by another process (a management
command) is seen within :data:`USER_SECONDS`.  Each request gets its own ``User`` object
built from the cached row, never one shared with another request.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

#: Seconds a request may use a user row read by an earlier request of this process.
USER_SECONDS = 30.0
_users: dict[Any, tuple[float, str, list[str], list[Any]]] = {}


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def forget_users(**_kwargs: Any) -> None:
    """Drop every cached user row (a user was saved or deleted)."""
    _users.clear()


class CachedModelBackend(ModelBackend):
    """:class:`ModelBackend` whose :meth:`get_user` reads recent rows from memory."""

    def get_user(self, user_id: Any) -> User | None:
        """The active user ``user_id`` (None if gone or inactive), as a fresh object."""
        known = _users.get(user_id)
        if known is not None and time.monotonic() - known[0] < USER_SECONDS:
            _, db, names, values = known
            return User.from_db(db, names, values)
        user = super().get_user(user_id)
        if isinstance(user, User):
            names = [f.attname for f in User._meta.concrete_fields]
            values = [getattr(user, name) for name in names]
            _users[user_id] = (time.monotonic(), user._state.db or "default", names, values)
        return user
