"""Names as every importer compares and turns them into slugs; text as it tidies it.

No database: the parsers use :func:`tidy_text` and :func:`name_key` too.
"""


def name_key(name):
    """The form two spellings of one name share: "avi  KIVITY" ~ "Avi Kivity".

    Speakers, rooms and tracks are matched on it.
    """
    return " ".join(name.split()).casefold()


def tidy_text(lines):
    """Lines as one text: trailing spaces gone, blank runs made one blank line."""
    kept = []
    for line in lines:
        line = line.rstrip()
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)
