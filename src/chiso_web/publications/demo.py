"""``chiso demo --serve`` publishes the demo's closed months as the administrator would.

The demo's clock stands on 29/10/2026, so August and September 2026 are closed: they are
published once (version 1, through :func:`chiso_web.publications.actions.publish`, audit
entry and lock included) by the demo administrator, so citizens find results on
``/cong-khai/``. A month already published is left as it is (the demo restarted).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from chiso_web import data
from chiso_web.publications import actions, state

DEMO_NOTE = "Công bố mẫu của bản trình diễn"


def publish_demo_months(months: tuple[str, ...], username: str = "quantri") -> list[str]:
    """Publish each month of ``months`` not yet published, as ``username``; return the
    labels of the months published now."""
    request = HttpRequest()
    request.user = get_user_model().objects.get(username=username)
    index_set = data.index_set(settings.CHISO["CHISO_INDEX_SET"])
    done = []
    for month in months:
        if state.current(index_set.id, month) is not None:
            continue
        publication = actions.publish(request, index_set, month, DEMO_NOTE)
        done.append(publication.period_label)
    return done
