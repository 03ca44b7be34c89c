"""The schedule board: an admin page per event and day to move talks around.

Rooms are columns and time runs down the side in 15-minute rows, every empty
cell a place to drop a talk. Organisers move a talk by dragging it
(``static/js/board.js``) or with the small form on its card, and swap two by
dropping one onto the other. Every change is a POST that the services in
``schedule.services.board`` check against the clash rules, then a redirect
back to the board, which is always drawn from the database.

- ``layout``: :func:`board_for_day`, the day's columns, rows and cards.
- ``forms``: what a move or a swap posts, and :class:`StampField`.
- ``views``: the day's page, and the move and swap.
- ``urls``: :func:`board_urls`, the views behind the admin's permission checks.
"""

from schedule.board.forms import BoardMoveForm, BoardSwapForm, StampField
from schedule.board.layout import Board, BoardCard, board_for_day
from schedule.board.urls import board_urls

__all__ = [
    "Board",
    "BoardCard",
    "BoardMoveForm",
    "BoardSwapForm",
    "StampField",
    "board_for_day",
    "board_urls",
]
