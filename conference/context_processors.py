from django.conf import settings

from conference.offline import service_worker_url
from infrastructure.site_url import absolute_url


def site(request):
    """The site's name, this page's own address (titles, Open Graph tags), the offline worker."""
    return {
        "service_worker_url": service_worker_url(),
        "site_name": settings.SITE_NAME,
        "page_url": absolute_url(request, request.get_full_path()),
    }
