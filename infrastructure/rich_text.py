"""Text that people or importers write, rendered safely as HTML.

Abstracts, bios and descriptions are stored as written (Markdown, which may
contain HTML such as the lists in imported agendas) and only ever reach a page
through ``render_rich_text``: CommonMark first, then nh3's allow-list, so that
nothing but the tags and attributes listed here survives.

The Markdown parser is markdown-it-py, whose cost grows linearly with the
text (Python-Markdown took 18 s over a bio of 10,000 ``[``), with its nesting
limit so that a list nested 400 deep cannot exhaust the stack. Each Markdown
field also holds at most ``MARKDOWN_MAX_LENGTH`` characters
(``validate_markdown_length``), which bounds what one render can cost.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

MARKDOWN_MAX_LENGTH = 50_000
MARKDOWN_HELP_TEXT = format_lazy(
    _("Markdown, at most {count} characters; HTML is sanitised."),
    count=f"{MARKDOWN_MAX_LENGTH:,}",
)

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

# Raw HTML stays on: imported programmes (frab, sched agendas) write their
# abstracts in HTML, and nh3 decides what of it survives. (nh3's cost grows
# faster than linearly with raw HTML nested thousands deep; the length cap
# keeps that to about a third of a second.) The CommonMark preset's nesting
# limit (20 levels of lists, quotes or inline markup) keeps the parser's
# recursion shallow: what lies deeper is dropped rather than an error, and
# past a list nested that deep so is the rest of the text.
MARKDOWN = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False})
# A link to a refused address keeps its words as a link without an href, as
# nh3 leaves it, rather than showing the Markdown as typed: nh3's scheme
# allow-list is the one place that decides which addresses survive.
MARKDOWN.validateLink = lambda url: True


def validate_markdown_length(value):
    """Refuse Markdown longer than ``MARKDOWN_MAX_LENGTH`` characters, saying by how much."""
    if value and len(value) > MARKDOWN_MAX_LENGTH:
        raise ValidationError(
            _("At most %(limit)s characters of Markdown (this has %(length)s)."),
            code="markdown_too_long",
            params={"limit": f"{MARKDOWN_MAX_LENGTH:,}", "length": f"{len(value):,}"},
        )


def _split_at_cap(text):
    """The part of ``text`` to render as Markdown, and the rest beyond the cap.

    The cut falls on the last blank line before the cap when there is one, so
    that the Markdown part ends with a whole paragraph.
    """
    if len(text) <= MARKDOWN_MAX_LENGTH:
        return text, ""
    cut = text.rfind("\n\n", 0, MARKDOWN_MAX_LENGTH)
    if cut <= 0:
        cut = MARKDOWN_MAX_LENGTH
    return text[:cut], text[cut:]


def render_rich_text(text):
    """Markdown (with inline HTML) as sanitised HTML, safe to put in a page.

    Text longer than ``MARKDOWN_MAX_LENGTH`` can only come from before the
    cap existed: its first ``MARKDOWN_MAX_LENGTH`` characters are rendered as
    Markdown and the rest is shown escaped, as plain paragraphs, so that
    nothing is lost and the cost stays linear in the length.
    """
    if not text:
        return mark_safe("")
    markdown, rest = _split_at_cap(text)
    rendered = nh3.clean(
        MARKDOWN.render(markdown),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    ).strip()
    paragraphs = [f"<p>{escape(part.strip())}</p>" for part in rest.split("\n\n") if part.strip()]
    return mark_safe("\n".join([rendered, *paragraphs]) if paragraphs else rendered)


def plain_text(text):
    """The words of rich text without any markup, for meta tags and calendars.

    Beyond ``MARKDOWN_MAX_LENGTH`` characters the text is taken as it is, as
    in ``render_rich_text``.
    """
    if not text:
        return ""
    markdown, rest = _split_at_cap(text)
    stripped = nh3.clean(MARKDOWN.render(markdown), tags=set())
    return " ".join(f"{html.unescape(stripped)} {rest}".split())


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


# What a reader that renders an export's text as HTML could run or be led by.
ACTIVE_TAGS = {
    "applet",
    "base",
    "button",
    "embed",
    "form",
    "frame",
    "frameset",
    "iframe",
    "input",
    "link",
    "math",
    "meta",
    "noscript",
    "object",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
}
_URL_ATTRIBUTES = {"action", "background", "formaction", "href", "poster", "src", "xlink:href"}
_NOT_URL_CHARACTER = re.compile(r"[\x00-\x20]")


class _ActiveMarkupFinder(HTMLParser):
    """Tells whether text holds a tag, attribute or address that could run in a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.active = False

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.active = True
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.active = True
            elif name in _URL_ATTRIBUTES and value:
                address = _NOT_URL_CHARACTER.sub("", value).lower()
                scheme = address.split(":", 1)[0] if ":" in address else ""
                if scheme and scheme not in ALLOWED_URL_SCHEMES:
                    self.active = True

    handle_startendtag = handle_starttag


def export_source(text):
    """Rich text as written, for files others read; cleaned only where it holds active HTML.

    Schedule exports give abstracts as people wrote them (Markdown, or the HTML
    an import brought): readers show them as text or render them, and an import
    of the file stores them back unchanged. Markdown is never touched, not even
    its ``<https://…>`` links or a ``<version>`` in prose. Only text holding
    something that could run where a reader renders it as HTML (a ``<script>``,
    an ``onclick``, a ``javascript:`` link) goes out through the pages'
    allow-list instead; what comes out then passes unchanged the next time.
    """
    text = text or ""
    if "<" not in text:
        return text
    finder = _ActiveMarkupFinder()
    finder.feed(text)
    finder.close()
    if not finder.active:
        return text
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
    )
