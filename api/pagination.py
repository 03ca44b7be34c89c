"""Pages of a list: ``count``, ``next`` and ``previous`` links, ``results``."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class NumberedPages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    # A 900-talk event in one request for apps that want it whole.
    max_page_size = 1000
    # Past the last page is a 404, with a message; a page that is no number a 400.
    invalid_page_message = _("There is no page {page_number} of this list.")

    def paginate_queryset(self, queryset, request, view=None):
        given = request.query_params.get(self.page_query_param)
        if given is not None and not (given.isdigit() and int(given) > 0):
            raise ValidationError(
                {self.page_query_param: [gettext("Give a page number from 1 up.")]}
            )
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        given = request.query_params.get(self.page_size_query_param)
        if given is not None and not (given.isdigit() and 0 < int(given) <= self.max_page_size):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        gettext("Give a whole number from 1 to %(most)s.")
                        % {"most": self.max_page_size}
                    ]
                }
            )
        return super().get_page_size(request)
