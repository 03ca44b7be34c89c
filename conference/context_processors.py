from django.conf import settings

from infrastructure.site_url import absolute_url


def site(request):
    """The site's name, and this page's own address, for titles and Open Graph tags."""
    return {
        "site_name": settings.SITE_NAME,
        "page_url": absolute_url(request, request.get_full_path()),
    }
