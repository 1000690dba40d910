"""The OpenAPI schema describes this portal's API (/api/v1/) only: never Wagtail's admin API
(/cms/api/), which is for the editor's own pages and behind the Wagtail admin login."""

API_PREFIX = "/api/v1/"


def portal_api_only(endpoints, **kwargs):
    """drf-spectacular PREPROCESSING_HOOKS: keep the endpoints under /api/v1/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
