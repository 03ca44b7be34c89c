"""iCalendar: ``parser`` reads a file, ``importer`` writes it, ``exporter`` makes the site's
calendars.
"""
