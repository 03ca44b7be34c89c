"""The 2012 agenda: ``parser`` reads the text export, ``importer`` writes it to the database.

Like every format package, it imports neither, so that importing the parser
(which needs no database) does not import the importer.
"""
