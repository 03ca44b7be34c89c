"""Which sign-ins the throttling (django-axes) leaves alone."""


def is_invitation_link(request, credentials):
    """Whether this is a sign-in with an invitation link, which axes neither counts nor stops.

    Invitation tokens (django-sesame) are signed, so none can be guessed and
    throttling them protects nothing. Counting the bad ones (spent, expired,
    forged) against an address would instead block a speaker's valid link
    from that address, or from everyone behind the same router.
    """
    return bool(credentials) and "sesame" in credentials
