// Offline use, on every page: registers the service worker (static/sw.js)
// once the page has loaded, so the first visit waits for nothing of it; asks
// it to keep the links this page marks with data-offline-keep (an event's
// schedule days, star list and exports); and on a copy the worker answered
// with while offline, says since when and reloads once the network is back.
(function () {
  "use strict";

  var script = document.currentScript;
  var RETRY_MS = 30 * 1000;
  var QUICK_RETRY_MS = 1000;
  var QUICK_TRIES = 5;

  // A saved copy ----------------------------------------------------------

  var notice = document.querySelector("[data-offline-notice]");
  var savedAt = notice && notice.dataset.savedAt ? new Date(notice.dataset.savedAt) : null;

  // Whether the site answers, asked of the worker: its network is the one the
  // reload goes through, and it may come back a moment after the page's.
  function whenReachable(then) {
    var controller = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (!controller) {
      return;
    }
    var channel = new MessageChannel();
    channel.port1.onmessage = function (message) {
      then(Boolean(message.data && message.data.reachable));
    };
    controller.postMessage({type: "probe", url: window.location.href}, [channel.port2]);
  }

  // Soon after the network is back (a few quick tries), then now and then:
  // a network that is up for the browser may still not reach the site.
  function refreshWhenBack(quickTries) {
    whenReachable(function (reachable) {
      if (reachable) {
        window.location.reload();
      } else if (quickTries > 0) {
        window.setTimeout(function () { refreshWhenBack(quickTries - 1); }, QUICK_RETRY_MS);
      }
    });
  }

  if (savedAt && !isNaN(savedAt.getTime())) {
    var time = notice.querySelector("[data-offline-time]");
    time.setAttribute("datetime", savedAt.toISOString());
    // In the viewer's own clock: when they last had the page, on their phone.
    time.textContent = new Intl.DateTimeFormat(document.documentElement.lang || "en-GB", {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"
    }).format(savedAt);
    notice.hidden = false;
    window.addEventListener("online", function () { refreshWhenBack(QUICK_TRIES); });
    window.setInterval(function () { refreshWhenBack(0); }, RETRY_MS);
  }

  // The worker ------------------------------------------------------------

  var workerUrl = script && script.dataset.serviceWorker;
  if (!workerUrl || !("serviceWorker" in navigator) || savedAt) {
    return;
  }

  function keptUrls() {
    // The page itself and its styles and scripts: on a first visit they came
    // before the worker did.
    var urls = [window.location.href];
    document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (file) {
      urls.push(file.href || file.src);
    });
    document.querySelectorAll("[data-offline-keep]").forEach(function (link) {
      urls.push(new URL(link.getAttribute("href"), window.location.href).href);
    });
    return urls.filter(function (url, index) { return urls.indexOf(url) === index; });
  }

  function keep(urls) {
    if (navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: "keep", urls: urls});
    }
  }

  // A star changes the star list's address (static/js/event.js, whose handler runs first).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-star]")) {
      keep(Array.prototype.map.call(document.querySelectorAll("[data-my-schedule]"), function (link) {
        return link.href;
      }));
    }
  });

  window.addEventListener("load", function () {
    navigator.serviceWorker.register(workerUrl, {scope: "/"}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      registration.active.postMessage({type: "keep", urls: keptUrls()});
    }).catch(function () {
      // No worker (private browsing, an old browser): the site works online as before.
    });
  });
})();
