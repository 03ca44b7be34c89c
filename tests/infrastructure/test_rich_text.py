import os
import sys

import markdown_it
import pytest
from django.core.exceptions import ValidationError

from infrastructure import rich_text
from infrastructure.rich_text import (
    MARKDOWN_MAX_LENGTH,
    plain_text,
    render_rich_text,
    validate_markdown_length,
    web_url,
)


def test_markdown_paragraphs_and_html_lists_are_kept():
    text = "First paragraph & more.\n\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n\nLast."

    html = render_rich_text(text)

    assert html == (
        "<p>First paragraph &amp; more.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>Last.</p>"
    )


def test_markdown_emphasis_lists_quotes_and_code_are_rendered():
    text = "Some *em*, **strong** and `code`.\n\n- one\n- two\n\n> quoted\n\n1. first"

    html = render_rich_text(text)

    assert html == (
        "<p>Some <em>em</em>, <strong>strong</strong> and <code>code</code>.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        "<ol>\n<li>first</li>\n</ol>"
    )


@pytest.mark.parametrize(
    ("hostile", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
        ('<svg onload="alert(1)"><circle/></svg>', "<svg"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
        ("<<script>script>alert(1)<</script>/script>", "<script"),
    ],
)
def test_hostile_markup_is_removed(hostile, forbidden):
    html = render_rich_text(f"Before {hostile} after")

    assert forbidden not in html
    assert "Before" in html


def test_links_keep_their_target_and_gain_a_safe_rel():
    html = render_rich_text("[our site](https://example.org/)")

    assert html == (
        '<p><a href="https://example.org/" rel="nofollow noopener noreferrer">our site</a></p>'
    )


def test_empty_text_renders_nothing():
    assert render_rich_text("") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org/talk?id=1", "https://example.org/talk?id=1"),
        (
            "http://kvmforumovirtworkshop2012.sched.org/event/5e4a",
            "http://kvmforumovirtworkshop2012.sched.org/event/5e4a",
        ),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        (" javascript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("//evil.example/", ""),
        ("https:///no-host", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_web_url_keeps_only_http_addresses(value, expected):
    assert web_url(value) == expected


# Inputs on which a backtracking Markdown parser takes time quadratic in their
# length (Python-Markdown: 18 s for 10,000 "["), or recursion as deep as their
# nesting. Each makes text of about n characters.
PATHOLOGICAL = {
    "brackets": lambda n: "[" * n,
    "link openers": lambda n: "[a](" * (n // 4),
    "image openers": lambda n: "![" * (n // 2),
    "nested links": lambda n: "[" * (n // 5) + "a" + "](b)" * (n // 5),
    "reference definitions": lambda n: "[a]: " * (n // 5),
    "emphasis runs": lambda n: "*a_" * (n // 3),
    "strong and emphasis": lambda n: "*a **a " * (n // 7),
    "star run": lambda n: "a" + "*" * n,
    "underscore run": lambda n: "a" + "_" * n,
    "backticks": lambda n: "`a" * (n // 2),
    "angle brackets": lambda n: "<" * n,
    "unclosed tags": lambda n: "<a " * (n // 3),
    "autolink openers": lambda n: "<http://" * (n // 8),
    "entities": lambda n: "&#" * (n // 2),
    "backslashes": lambda n: "\\" * n,
    "deep quote": lambda n: ">" * n + " deep",
    "deep list": lambda n: "- " * (n // 2) + "deep",
    "deep ordered list": lambda n: "1. " * (n // 3) + "deep",
    "deep indented list": lambda n: "".join("  " * i + "- a\n" for i in range(int(n**0.5))),
    "ordinary text": lambda n: "Lorem *ipsum* dolor [sit](https://example.org) amet. " * (n // 53),
}
MARKDOWN_IT_CODE = os.path.dirname(markdown_it.__file__)


def markdown_steps(text):
    """How many lines of markdown-it's code run to render ``text``: its cost, without a clock."""
    steps = 0

    def count(frame, event, arg):
        nonlocal steps
        steps += 1
        return count

    def calls(frame, event, arg):
        return count if frame.f_code.co_filename.startswith(MARKDOWN_IT_CODE) else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        rich_text.MARKDOWN.render(text)
    finally:
        sys.settrace(previous)
    return steps


@pytest.mark.parametrize("make", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_costs_steps_linear_in_its_length(make):
    short, long = make(1500), make(3000)

    short_steps, long_steps = markdown_steps(short), markdown_steps(long)

    # A quadratic parser would take four times the steps for twice the text.
    assert long_steps <= 2.2 * short_steps
    assert long_steps <= 1500 * len(long)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("[" * 10_000, "[" * 100),
        ("[a](" * 5_000, "[a](" * 100),
        ("*a_" * 10_000, "*a_*a_"),
        ("a" + "*" * 20_000, "a" + "*" * 100),
        ("- " * 400 + "deep\n\nAfter.", "<ul>\n<li>\n<ul>"),
        (">" * 10_000 + " deep\n\nAfter.", "After."),
        ("<ul>" * 12_000, "<ul><ul>"),
    ],
    ids=["brackets", "link openers", "emphasis runs", "star run", "deep list", "deep quote",
         "deep raw html"],
)  # fmt: skip
def test_pathological_markdown_at_the_reported_sizes_renders(text, shown):
    html = render_rich_text(text)

    assert shown in html
    # Output in proportion to the text: each character becomes at most an entity or a tag.
    assert len(html) <= 12 * len(text)
    assert len(plain_text(text)) <= len(text)


def test_deep_nesting_is_cut_at_the_parser_limit_without_an_error():
    html = render_rich_text("- " * 400 + "deep")

    assert html.count("<ul>") == 10
    assert "deep" not in html


@pytest.mark.parametrize(
    "text",
    [
        "x" * 1_000_000,
        "[" * 1_000_000,
        "![" * 500_000,
        "Lorem *ipsum* dolor [sit](https://example.org) amet.\n\n" * 19_000,
    ],
    ids=["letters", "brackets", "image openers", "paragraphs"],
)
def test_a_megabyte_of_markdown_renders_its_first_part_and_shows_the_rest_escaped(
    monkeypatch, text
):
    parsed = []
    render = rich_text.MARKDOWN.render
    monkeypatch.setattr(rich_text.MARKDOWN, "render", lambda src: parsed.append(src) or render(src))

    html = render_rich_text(text)

    assert len(text) >= 1_000_000
    # Only the part within the cap goes through the parser; the rest is text.
    assert [len(src) <= MARKDOWN_MAX_LENGTH for src in parsed] == [True]
    assert html.endswith(f"{text.rstrip()[-20:]}</p>")
    assert len(html) <= 2 * len(text)


def test_text_beyond_the_cap_is_escaped_and_cut_at_a_blank_line():
    text = (
        "*Kept* as Markdown.\n\n"
        + "x" * (MARKDOWN_MAX_LENGTH - 100)
        + "\n\n*Shown* as <b>typed</b>, across the cap "
        + "y" * 200
        + "\n\nLast."
    )

    html = render_rich_text(text)

    assert html.startswith("<p><em>Kept</em> as Markdown.</p>\n<p>xxx")
    shown = f"*Shown* as &lt;b&gt;typed&lt;/b&gt;, across the cap {'y' * 200}"
    assert html.endswith(f"xxx</p>\n<p>{shown}</p>\n<p>Last.</p>")
    assert plain_text(text).endswith(
        f"xxx *Shown* as <b>typed</b>, across the cap {'y' * 200} Last."
    )


def test_markdown_up_to_the_cap_is_accepted():
    validate_markdown_length("x" * MARKDOWN_MAX_LENGTH)
    validate_markdown_length("")


def test_markdown_over_the_cap_is_refused_with_its_length():
    with pytest.raises(ValidationError) as error:
        validate_markdown_length("x" * 61_234)

    assert error.value.messages == ["At most 50,000 characters of Markdown (this has 61,234)."]
