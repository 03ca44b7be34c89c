from django.http import Http404


def speaker_list(request, event_slug):
    raise Http404


def speaker_detail(request, event_slug, speaker_slug):
    raise Http404
