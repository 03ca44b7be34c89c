"""Text that people or importers write, rendered safely as HTML.

Abstracts, bios and descriptions are stored as written (Markdown, which may
contain HTML such as the lists in imported agendas) and only ever reach a page
through ``render_rich_text``: Markdown first, then nh3's allow-list, so that
nothing but the tags and attributes listed here survives.
"""

import html
from urllib.parse import urlsplit

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "dl",
    "dt",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_rich_text(text):
    """Markdown (with inline HTML) as sanitised HTML, safe to put in a page."""
    if not text:
        return mark_safe("")
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="nofollow noopener noreferrer",
        )
    )


def plain_text(text):
    """The words of rich text without any markup, for meta tags and calendars."""
    if not text:
        return ""
    rendered = markdown.markdown(text, extensions=["sane_lists"])
    stripped = nh3.clean(rendered, tags=set())
    return " ".join(html.unescape(stripped).split())


def web_url(value):
    """``value`` if it is an http(s) address, else "".

    Links people store (websites, source pages) are validated on input, but a
    page must never turn a stored ``javascript:`` or ``data:`` value into a link.
    """
    value = (value or "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() in {"http", "https"} and parts.netloc:
        return value
    return ""
