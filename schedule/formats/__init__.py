"""One package per file format, its reader and writer side by side.

- ``agenda``: the 2012 sched.org agenda text export (import only).
- ``frab``: frab schedule XML (import) and the c3voc schedule.xml and schedule.json (export).
- ``ical``: iCalendar (import, and the calendars the site serves).

Each has a ``parser`` that reads a file into plain data without the database,
an ``importer`` that writes that data through the shared pipeline
(``schedule.importing``), and an ``exporter`` where the site serves the format.
"""
