from django.shortcuts import render

from conference.selectors import published_event, published_events


def home(request):
    return render(request, "conference/home.html", {"events": published_events()})


def event_detail(request, event_slug):
    event = published_event(event_slug)
    return render(request, "conference/event_detail.html", {"event": event})
