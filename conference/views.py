from django.shortcuts import render

from conference.selectors import published_events


def home(request):
    return render(request, "conference/home.html", {"events": published_events()})
