"""The OpenAPI schema's shared parts: every operation documents its problem responses."""

from api.problems import PROBLEM_CONTENT_TYPE

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error as RFC 9457 describes it.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, for a person to read."},
        "errors": {
            "type": "array",
            "description": "Each wrong parameter or field, and what is wrong with it.",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "message": {"type": "string"},
                },
                "required": ["field", "message"],
            },
        },
        "clashes": {"type": "array", "items": {"type": "string"}},
        "other_talks": {
            "type": "array",
            "description": "The talks a clash is with.",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "title": {"type": "string"},
                },
                "required": ["id", "title"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

# What any operation can answer besides its own: a bad parameter, a missing
# or refused token, something not there, a method, Accept or body it does not
# serve, too many requests.
COMMON = {
    "400": "Bad request: a parameter or field is wrong; `errors` names it.",
    "401": "The API token is unknown or revoked (or a write came without one).",
    "403": "The token's account may not do this.",
    "404": "No such event, talk, speaker, room, track or page.",
    "405": "The method is not offered here.",
    "406": "The Accept header asks for a type the API does not send.",
    "415": "The body is not JSON.",
    "429": "Too many requests: see Retry-After.",
}
WRITES = {
    "409": "The change clashes with the schedule (or with another row); `clashes` says how. "
    "Send `?force=1` to save despite a clash.",
}
STALE = {"412": "The talk changed since the ETag given in If-Match; read it again."}


PAGE_LIMITS = {"page": {"minimum": 1}, "page_size": {"minimum": 1, "maximum": 1000}}


def _problem(description):
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def document_problems(result, generator, request, public):
    """Postprocessing hook: the problem responses of every operation of the API, and their shape."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            extra = COMMON | (WRITES if method != "get" else {})
            extra |= STALE if method in ("patch", "delete") and "talks" in path else {}
            for code, description in extra.items():
                responses.setdefault(code, _problem(description))
            for parameter in operation.get("parameters", []):
                # As NumberedPages reads them: a page and a page size from 1 up.
                if parameter["in"] == "query" and parameter["name"] in PAGE_LIMITS:
                    parameter["schema"] |= PAGE_LIMITS[parameter["name"]]
            if method == "get" and {} not in operation.setdefault("security", []):
                # Reads need no token: one only widens them to the working schedule.
                operation["security"].append({})
    return result
