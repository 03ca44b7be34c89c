"""Schedule releases: the public schedule is the event's latest release.

``changes`` compares two versions of a schedule, ``service`` makes a release.
Organisers edit the working schedule (``Talk.objects``); attendees read the
frozen copies of the current release (``Talk.released.current()``).
"""
