"""Links on a person's account pages that other apps add, each shown only to whom it says.

The account pages live here, below the apps that may want a place on them
(the API's token page, for organisers): those apps register a link in their
``AppConfig.ready()`` instead of this app importing them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AccountLink:
    label: str
    url_name: str
    shown_to: Callable  # shown_to(user) -> bool


_links = []


def register(*, label, url_name, shown_to):
    """Show a link to ``url_name`` on the account pages of the users ``shown_to`` accepts."""
    _links.append(AccountLink(label=label, url_name=url_name, shown_to=shown_to))


def links_for(user):
    """The registered links ``user`` sees, in the order they were registered."""
    return [link for link in _links if link.shown_to(user)]
