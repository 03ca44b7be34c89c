from django import template

from conference.rich_text import render_rich_text

register = template.Library()


@register.filter(name="rich_text")
def rich_text_filter(text):
    """``{{ talk.abstract|rich_text }}``: Markdown rendered through the sanitiser."""
    return render_rich_text(text)
