"""Which changes make which events' pages stale: each app registers its models here.

The page cache knows no model: an app calls :func:`register` in its
``ready()`` for every model whose rows its pages show, with a function that
names the events whose pages a change of a row makes stale. A save or delete
of such a row then calls ``event_pages_changed`` for them. Code that writes
with ``QuerySet.update()`` or ``bulk_create()`` (which send no signals) calls
``event_pages_changed`` itself.
"""

from django.db.models.signals import post_delete, post_save, pre_save

from infrastructure.page_cache.versions import event_pages_changed


def register(model, *, event_slugs, before_save=None):
    """Saving or deleting a ``model`` row makes the pages of ``event_slugs(row)`` stale.

    ``event_slugs`` returns the slugs of the events (None entries are
    skipped). ``before_save(row)``, if given, runs before each save, for what
    only the row's previous state tells (an event's slug before a rename).
    A model registered twice (``ready()`` can run twice) keeps its first functions.
    """

    def on_change(sender, instance, **kwargs):
        event_pages_changed(*event_slugs(instance))

    name = model.__name__
    if before_save is not None:
        pre_save.connect(
            lambda sender, instance, **kwargs: before_save(instance),
            sender=model,
            weak=False,
            dispatch_uid=f"pages-{name}-saving",
        )
    for signal in (post_save, post_delete):
        signal.connect(on_change, sender=model, weak=False, dispatch_uid=f"pages-{name}-{signal}")
