"""The API's settings for Django REST framework and drf-spectacular, read by the project's settings.

Kept here so that the project's settings name the API in a few lines. Plain
data: this module imports nothing, so the settings can import it first.
"""

REST_FRAMEWORK = {
    # Only personal API tokens: a browser's session (and so CSRF) never
    # authenticates an API request, so a page cannot act through the API.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOrOrganiserWrite"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.NumberedPages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousRateThrottle",
        "api.throttling.TokenRateThrottle",
    ],
    # Per client address (anonymous) or per account (with a token).
    "DEFAULT_THROTTLE_RATES": {"anonymous": "120/minute", "token": "600/minute"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Conference API",
    "DESCRIPTION": (
        "The published schedule of each event (talks, speakers, rooms, tracks) for apps, "
        "and, with a personal API token, organisers' edits and the working schedule."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page loads Swagger UI from the project's own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_problems",
    ],
    "ENUM_NAME_OVERRIDES": {"TalkKind": "schedule.models.Talk.Kind"},
}
