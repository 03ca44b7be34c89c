"""The board's repeated markup, built once per page in Python.

A board of 30 rooms has some 1,500 empty cells; drawn by the template
language they took most of the page's time. The "Move" form lists every
room and day once per page (not once per card: those lists were half of the
elements a browser had to lay out), marking the chosen talk's own.
"""

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _options(pairs, selected):
    return mark_safe(
        "".join(
            f'<option value="{value}" selected>{label}</option>'
            if value == selected
            else f'<option value="{value}">{label}</option>'
            for value, label in pairs
        )
    )


def _cached(board, name, build):
    found = board.__dict__.get(name)
    if found is None:
        found = board.__dict__[name] = build()
    return found


@register.simple_tag
def board_cells(board):
    """Every empty cell of the grid: where a dragged talk can be dropped."""

    def build():
        # Numbers, dates and times only: nothing here needs escaping.
        return mark_safe(
            "".join(
                f'<div class="board-cell{" is-hour" if row.is_hour else ""}" '
                f'style="grid-row: {row.grid_row}; grid-column: {column.grid_column};" '
                f'data-drop-cell data-room="{column.room.pk if column.room else ""}" '
                f'data-day="{row.day_value}" data-time="{row.time_value}"></div>'
                for row in board.rows
                for column in board.columns
            )
        )

    return _cached(board, "_cells_html", build)


@register.simple_tag
def board_room_options(board, room_id):
    """The rooms of the "Move" form, the chosen talk's own selected."""
    pairs = _cached(
        board, "_room_pairs", lambda: [(room.pk, escape(room.name)) for room in board.rooms]
    )
    return _options(pairs, room_id)


@register.simple_tag
def board_day_options(board, card):
    """The days of the "Move" form: the talk's own, or the board's when unscheduled or none."""
    pairs = _cached(
        board,
        "_day_pairs",
        lambda: [(f"{link.date:%Y-%m-%d}", date_format(link.date, "D j M")) for link in board.days],
    )
    day = card.start.date() if card and card.start else board.day
    return _options(pairs, f"{day:%Y-%m-%d}")


def _kind_label(talk):
    try:
        return talk.Kind(talk.kind).label
    except ValueError:
        return talk.kind  # a label an import brought, shown as it is


def _card_html(card, *, grid, change_url):
    """One card of the board, every text escaped here."""
    talk = card.talk
    title = escape(talk.title)
    classes = "board-card"
    if card.errors:
        classes += " has-errors"
    elif card.warnings:
        classes += " has-warnings"
    if talk.is_cancelled:
        classes += " is-cancelled"
    problems = card.problems_text
    style = ""
    if grid:
        style = (
            f"grid-row: {card.grid_row}; grid-column: {card.grid_column}; "
            f"--lane: {card.lane}; --lanes: {card.lanes};"
        )
    if card.track:
        style += f" --track-colour: {escape(card.track.colour)};"
    start = card.start
    parts = [
        f'<article class="{classes}" id="talk-{talk.pk}" data-talk="{talk.pk}" '
        f'data-title="{title}" data-stamp="{escape(card.stamp)}" '
        f'data-room="{talk.room_id or ""}" '
        f'data-day="{f"{start:%Y-%m-%d}" if start else ""}" '
        f'data-start="{f"{start:%H:%M}" if start else ""}"'
        + (f' title="{escape(problems)}"' if problems else "")
        + f' style="{style}">\n  <p class="board-card-head">\n    '
    ]
    if start:
        day = "" if grid else dateformat.format(start, "D j M, ")
        parts.append(
            f'<time datetime="{dateformat.format(start, "c")}">{day}'
            f"{start:%H:%M}–{card.end:%H:%M}</time>"
        )
    elif talk.planned_minutes:
        parts.append(
            escape(gettext("Unscheduled, %(minutes)d min") % {"minutes": talk.planned_minutes})
        )
    else:
        parts.append(escape(gettext("Unscheduled")))
    parts.append("\n    ")
    if card.track:
        parts.append(
            '<span class="board-track"><span class="board-swatch" aria-hidden="true"></span>'
            f"{escape(card.track.name)}</span>"
        )
    parts.append("\n    ")
    if talk.kind != "talk":
        parts.append(f'<span class="board-badge">{escape(_kind_label(talk))}</span>')
    parts.append("\n    ")
    if talk.is_cancelled:
        parts.append(f'<span class="board-badge">{escape(gettext("Cancelled"))}</span>')
    elif not talk.is_published:
        parts.append(f'<span class="board-badge">{escape(gettext("Unpublished"))}</span>')
    parts.append(
        f'\n  </p>\n  <h3 class="board-card-title"><a href="{change_url(talk.pk)}" '
        f'title="{title}" draggable="false">{title}</a></h3>\n  '
    )
    if card.speakers:
        names = ", ".join(escape(speaker.name) for speaker in card.speakers)
        parts.append(f'<p class="board-speakers">{names}</p>')
    parts.append("\n  ")
    if problems:
        kind = "board-problems-error" if card.errors else "board-problems-warning"
        error_label = escape(gettext("Error:"))
        items = "".join(
            f'<li class="board-problem-error"><strong>{error_label}</strong> {escape(message)}</li>'
            for message in card.errors
        ) + "".join(f"<li>{escape(message)}</li>" for message in card.warnings)
        parts.append(
            f'\n    <details class="board-problems {kind}">\n      <summary><span '
            f'class="board-marker" aria-hidden="true">⚠</span> {escape(card.problems_count)}'
            f"</summary>\n      <ul>{items}</ul>\n    </details>\n  "
        )
    parts.append(
        f'\n  <a class="board-move-link" href="?move={talk.pk}#board-move" '
        f'draggable="false">{escape(gettext("Move…"))}</a>\n</article>\n'
    )
    return "".join(parts)


@register.simple_tag
def board_cards(cards, grid=False):
    """The cards' markup, joined in Python: by the template language, 300 cards of a
    30-room day took most of the board's time to draw."""
    # One reverse for all: the change page's address with the talk's id in it.
    marker = 2_147_483_647
    pattern = reverse("admin:schedule_talk_change", args=[marker])
    before, after = pattern.split(str(marker))

    def change_url(pk):
        return f"{before}{pk}{after}"

    return mark_safe("".join(_card_html(card, grid=grid, change_url=change_url) for card in cards))
