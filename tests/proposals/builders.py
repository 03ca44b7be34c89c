"""What the proposal form posts, for the tests that propose through it."""


def proposal_form_data(call, **fields):
    """A valid hand-in of “Live migration” to ``call``; ``fields`` change or add to it."""
    return {
        "title": "Live migration",
        "abstract": "Moving VMs.",
        "description": "In depth.",
        "session_type": str(call.session_types.first().pk),
        "track": "",
        "notes": "",
        "submit": "1",
        "submission_key": "6a0d3b8e-7b2b-4c5c-9a55-0d7c2c0e4d11",
    } | fields
