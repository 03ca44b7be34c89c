"""The call's public page belongs to its event: a change to the call makes it stale.

Registered with the page cache in ``ProposalsConfig.ready()``.
"""

from infrastructure import page_cache
from proposals.models import Call, Question, SessionType


def register():
    page_cache.register(Call, event_slugs=lambda call: [call.event.slug])
    for model in (SessionType, Question):
        page_cache.register(model, event_slugs=lambda row: [row.call.event.slug])
