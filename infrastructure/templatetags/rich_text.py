from django import template

from infrastructure.rich_text import plain_text, render_rich_text, web_url

register = template.Library()


@register.filter(name="rich_text")
def rich_text_filter(text):
    """``{{ talk.abstract|rich_text }}``: Markdown rendered through the sanitiser."""
    return render_rich_text(text)


@register.filter(name="plain_text")
def plain_text_filter(text):
    """``{{ talk.abstract|plain_text|truncatechars:200 }}``: the words without markup."""
    return plain_text(text)


@register.filter(name="web_url")
def web_url_filter(value):
    """``{% with url=speaker.website|web_url %}``: the link only when it is http(s)."""
    return web_url(value)
