"""Operations that change several schedule rows at once, each in one transaction.

- ``agenda``: importing the 2012 agenda format.
"""

from schedule.services.agenda import AgendaImportResult, agenda_import

__all__ = ["AgendaImportResult", "agenda_import"]
