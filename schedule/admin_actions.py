"""Admin actions on selected talks (to be written)."""

TALK_ACTIONS = []
