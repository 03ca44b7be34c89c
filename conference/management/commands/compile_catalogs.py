"""Compile the interface's translation catalogs (``locale/*/LC_MESSAGES/*.po``) into ``.mo`` files.

Django's own ``compilemessages`` needs GNU gettext's ``msgfmt``, which a fresh
machine may lack; polib writes the same files in Python. A catalog is
compiled only when its ``.mo`` is missing or older than the ``.po``.
"""

from django.core.management.base import BaseCommand

from conference.catalogs import compile_catalogs


class Command(BaseCommand):
    help = "Compile the translation catalogs under LOCALE_PATHS (only those that changed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalog.")

    def handle(self, *args, force=False, **options):
        compiled = compile_catalogs(force=force)
        for path in compiled:
            self.stdout.write(f"Compiled {path}")
        if not compiled and options["verbosity"] > 1:
            self.stdout.write("Every catalog is up to date.")
