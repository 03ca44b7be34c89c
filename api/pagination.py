"""Pages of a list: ``count``, ``next`` and ``previous`` links, ``results``."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class NumberedPages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    # A 900-talk event in one request for apps that want it whole.
    max_page_size = 1000
    # Past the last page (or a page that is not a number) is a 404, with a message.
    invalid_page_message = "There is no page {page_number} of this list."

    def get_page_size(self, request):
        given = request.query_params.get(self.page_size_query_param)
        if given is not None and not (given.isdigit() and 0 < int(given) <= self.max_page_size):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return super().get_page_size(request)
