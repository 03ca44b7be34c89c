"""iCalendar files of talks (to be written)."""


def calendar_for_talks(*, event, talks, base_url, name):
    raise NotImplementedError
