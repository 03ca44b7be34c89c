"""The board's URL patterns, behind the admin's login and the change-talk permission."""

from functools import partial, wraps

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views.decorators.http import require_POST

from schedule.board.views import board_day, board_move, board_start, board_swap

PERMISSION = "schedule.change_talk"


def _needs_permission(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def board_urls(admin_site):
    """URL patterns of the board, wrapped in the admin's permission checks."""

    def view(function, *, post=False):
        function = _needs_permission(partial(function, admin_site=admin_site))
        return admin_site.admin_view(require_POST(function) if post else function)

    return [
        path("board/<int:event_id>/", view(board_start), name="schedule_board"),
        path("board/<int:event_id>/move/", view(board_move, post=True), name="schedule_board_move"),
        path("board/<int:event_id>/swap/", view(board_swap, post=True), name="schedule_board_swap"),
        path("board/<int:event_id>/<str:day>/", view(board_day), name="schedule_board_day"),
    ]
