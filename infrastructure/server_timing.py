"""``Server-Timing: cpu;dur=…``: the processor time the request took in this worker.

On only where ``SERVER_TIMING`` is set (the benchmark sets it): it tells how
long a page took to make, which is for those who measure, not for everyone.
"""

import time


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The thread's own time: a sync worker's one request, not what other threads did.
        started = time.thread_time()
        response = self.get_response(request)
        response["Server-Timing"] = f"cpu;dur={(time.thread_time() - started) * 1000:.1f}"
        return response
