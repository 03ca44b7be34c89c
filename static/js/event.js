// Comforts on event pages, on top of pages that work without JavaScript:
// times in the viewer's own zone, and starred talks kept in this browser.
(function () {
  "use strict";

  var body = document.body;
  var eventSlug = body.dataset.event;
  if (!eventSlug) {
    return;
  }
  var eventZone = body.dataset.eventZone;
  var viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var ZONE_KEY = "conference.zone";
  var STARS_KEY = "conference.stars." + eventSlug;

  // The words shown, from the page (its templates translate them): the zone
  // toggle carries the times' words, each star button its own. The English
  // is only a fallback for a page that does not give them.
  var zoneTexts = document.querySelector("[data-zone-toggle]");

  function pageText(element, name, fallback) {
    return (element && element.dataset[name]) || fallback;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function readStorage(key, fallback) {
    try {
      var value = window.localStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;
    }
  }

  function writeStorage(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      // Private browsing may refuse storage; the page still works.
    }
  }

  // Times -----------------------------------------------------------------

  function dayIn(zone, date) {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit"
    }).format(date);
  }

  function clockIn(zone, date) {
    return new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).format(date);
  }

  function zoneAbbreviation(zone, date) {
    var parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, timeZoneName: "short"
    }).formatToParts(date);
    var name = parts.filter(function (part) { return part.type === "timeZoneName"; });
    return name.length ? name[0].value : "";
  }

  function showTimes(zone) {
    var times = document.querySelectorAll("time[data-time]");
    var sample = null;
    times.forEach(function (element) {
      if (!element.dataset.eventText) {
        element.dataset.eventText = element.textContent;
      }
      var date = new Date(element.getAttribute("datetime"));
      sample = sample || date;
      if (zone === eventZone) {
        element.textContent = element.dataset.eventText;
        element.removeAttribute("title");
        return;
      }
      var text = clockIn(zone, date);
      var shift = dayIn(zone, date) !== element.dataset.day
        ? " " + (dayIn(zone, date) > element.dataset.day
          ? pageText(zoneTexts, "textNextDay", "(+1 day)")
          : pageText(zoneTexts, "textPreviousDay", "(−1 day)"))
        : "";
      element.textContent = text + shift;
      element.title = fill(pageText(zoneTexts, "textAtVenue", "%(time)s at the venue"), {
        time: element.dataset.eventText
      });
    });
    document.querySelectorAll("[data-zone-label]").forEach(function (label) {
      label.textContent = zone === eventZone
        ? label.dataset.eventLabel
        : fill(pageText(zoneTexts, "textYourZone", "%(zone)s (your time zone)"), { zone: zone });
    });
    document.querySelectorAll("[data-zone-abbreviation]").forEach(function (element) {
      if (!element.dataset.eventText) {
        element.dataset.eventText = element.textContent;
      }
      // A talk during which the clocks change names the zone at each of its times.
      var at = element.dataset.at ? new Date(element.dataset.at) : sample;
      element.textContent = zone === eventZone || !at
        ? element.dataset.eventText
        : "(" + zoneAbbreviation(zone, at) + ")";
    });
    document.querySelectorAll("[data-zone-toggle]").forEach(function (button) {
      button.textContent = zone === eventZone
        ? fill(pageText(button, "textShowMine", "Show in my time zone (%(zone)s)"), {
          zone: viewerZone
        })
        : fill(pageText(button, "textShowVenue", "Show in the venue's time zone (%(zone)s)"), {
          zone: eventZone
        });
      button.setAttribute("aria-pressed", zone === eventZone ? "false" : "true");
    });
  }

  var toggles = document.querySelectorAll("[data-zone-toggle]");
  if (viewerZone && viewerZone !== eventZone) {
    var currentZone = readStorage(ZONE_KEY, "venue") === "viewer" ? viewerZone : eventZone;
    toggles.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        currentZone = currentZone === eventZone ? viewerZone : eventZone;
        writeStorage(ZONE_KEY, currentZone === eventZone ? "venue" : "viewer");
        showTimes(currentZone);
      });
    });
    showTimes(currentZone);
  }

  // Stars -----------------------------------------------------------------

  var stars = readStorage(STARS_KEY, []);
  if (!Array.isArray(stars)) {
    stars = [];
  }

  function renderStars() {
    document.querySelectorAll("[data-star]").forEach(function (button) {
      var starred = stars.indexOf(button.dataset.star) !== -1;
      button.hidden = false;
      button.setAttribute("aria-pressed", starred ? "true" : "false");
      button.title = starred
        ? pageText(button, "textRemove", "Remove from my schedule")
        : pageText(button, "textAdd", "Add to my schedule");
      button.firstElementChild.textContent = starred ? "★" : "☆";
    });
    document.querySelectorAll("[data-my-schedule]").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("talks", stars.join(","));
      link.href = url.pathname + url.search;
      link.hidden = false;
      var count = link.querySelector("[data-star-count]");
      if (count) {
        count.textContent = String(stars.length);
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-star]");
    if (!button) {
      return;
    }
    var id = button.dataset.star;
    var position = stars.indexOf(id);
    if (position === -1) {
      stars.push(id);
    } else {
      stars.splice(position, 1);
    }
    writeStorage(STARS_KEY, stars);
    renderStars();
  });

  renderStars();
})();
