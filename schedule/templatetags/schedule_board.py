"""The board's repeated markup, built once per page in Python.

A board of 30 rooms has some 1,500 empty cells; drawn by the template
language they took most of the page's time. The "Move" form lists every
room and day once per page (not once per card: those lists were half of the
elements a browser had to lay out), marking the chosen talk's own.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

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
        lambda: [(f"{link.date:%Y-%m-%d}", f"{link.date:%a %-d %b}") for link in board.days],
    )
    day = card.start.date() if card and card.start else board.day
    return _options(pairs, f"{day:%Y-%m-%d}")
