import pytest

from conference.rich_text import render_rich_text, web_url


def test_markdown_paragraphs_and_html_lists_are_kept():
    text = "First paragraph & more.\n\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n\nLast."

    html = render_rich_text(text)

    assert html == (
        "<p>First paragraph &amp; more.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n\n"
        "<p>Last.</p>"
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
