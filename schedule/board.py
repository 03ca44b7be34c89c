"""The schedule board: an admin page per event and day to move talks around (to be written)."""


def board_urls(admin_site):
    """URL patterns of the board, wrapped in the admin's permission checks."""
    return []
