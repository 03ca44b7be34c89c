// The site's service worker, served at /sw.js (conference/offline.py) so that
// it controls every page. It makes the public pages an attendee opened, and
// what static/js/offline.js asks it to keep (an event's schedule days, its
// star list and exports), work without a network.
//
// Network first, always: while the network answers, the page is the server's
// own answer and the worker only keeps a copy. Only when the network fails
// does it answer from that copy, marked so that the page says "offline, as
// of <time>" (static/js/offline.js shows the notice and reloads once the
// network is back).
//
// Kept: same-origin GETs of the site's static files, and of pages the server
// calls public (Cache-Control: public, which the page cache says and a
// signed-in person's pages do not). Never kept: the admin, accounts, the API,
// anything else.
"use strict";

var CACHE_PREFIX = "conference-offline-";
// The deploy's stamp, in the address the pages register (conference/offline.py):
// a new deploy is a new cache, and the old one goes when the new worker starts.
var CACHE_NAME = CACHE_PREFIX + (new URL(self.location.href).searchParams.get("v") || "unversioned");
var NEVER_KEPT = ["/admin/", "/accounts/", "/api/", "/sw.js"];
var SAVED_AT_HEADER = "X-Offline-Saved-At";
// The notice in templates/base.html, hidden until a saved copy is shown.
var NOTICE_MARKER = "data-offline-notice hidden";
// A copy fetched again for the keep list no sooner than this after the last.
var KEEP_REFRESH_MS = 60 * 1000;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE_NAME;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function mayKeep(url, method) {
  var address = new URL(url, self.location.href);
  if (method !== "GET" || address.origin !== self.location.origin) {
    return false;
  }
  return !NEVER_KEPT.some(function (prefix) { return address.pathname.indexOf(prefix) === 0; });
}

var STATIC_PREFIX = "/static/";

// The site's own static files are public whoever asks; a page is when the server says so.
function isPublic(response) {
  var control = (response.headers.get("Cache-Control") || "").toLowerCase();
  var isStatic = new URL(response.url).pathname.indexOf(STATIC_PREFIX) === 0;
  return response.status === 200 && response.type === "basic" &&
    (isStatic || /\bpublic\b/.test(control)) && !/\b(private|no-store)\b/.test(control);
}

function save(url, response) {
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    // The body read here is already decoded and may differ in length.
    headers.delete("Content-Encoding");
    headers.delete("Content-Length");
    headers.set(SAVED_AT_HEADER, new Date().toISOString());
    return caches.open(CACHE_NAME).then(function (cache) {
      return cache.put(url, new Response(body, {status: 200, statusText: "OK", headers: headers}));
    });
  });
}

function savedCopy(url) {
  return caches.open(CACHE_NAME).then(function (cache) {
    return cache.match(url, {ignoreVary: true});
  });
}

// A saved page says it is one: the notice shown, with the time it was saved.
function markedAsSaved(copy) {
  if ((copy.headers.get("Content-Type") || "").indexOf("text/html") !== 0) {
    return copy;
  }
  var savedAt = copy.headers.get(SAVED_AT_HEADER) || "";
  return copy.text().then(function (html) {
    var marked = html.replace(NOTICE_MARKER, 'data-offline-notice data-saved-at="' + savedAt + '"');
    return new Response(marked, {status: 200, statusText: "OK", headers: copy.headers});
  });
}

function networkFirst(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (isPublic(response)) {
      event.waitUntil(save(request.url, response.clone()));
    }
    return response;
  }, function (failure) {
    return savedCopy(request.url).then(function (copy) {
      if (!copy) {
        throw failure;
      }
      return markedAsSaved(copy);
    });
  });
}

self.addEventListener("fetch", function (event) {
  if (mayKeep(event.request.url, event.request.method)) {
    event.respondWith(networkFirst(event));
  }
});

// The pages and files a page asks to keep (offline.js): fetched one after
// another, in the background, unless a copy is only a minute old.
function keep(url) {
  if (!mayKeep(url, "GET")) {
    return Promise.resolve();
  }
  return savedCopy(url).then(function (copy) {
    var savedAt = copy && Date.parse(copy.headers.get(SAVED_AT_HEADER) || "");
    if (savedAt && Date.now() - savedAt < KEEP_REFRESH_MS) {
      return undefined;
    }
    return fetch(url, {credentials: "same-origin"}).then(function (response) {
      return isPublic(response) ? save(url, response) : undefined;
    });
  }).catch(function () {
    // Offline or refused: the copy kept before, if any, stays.
  });
}

// Whether the site answers: asked by a saved page before it reloads itself.
function probe(url, port) {
  return fetch(url, {method: "HEAD", cache: "no-store", credentials: "same-origin"}).then(
    function (response) { return response.ok; },
    function () { return false; }
  ).then(function (reachable) {
    port.postMessage({reachable: reachable});
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "probe" && event.ports.length && mayKeep(String(data.url), "GET")) {
    event.waitUntil(probe(String(data.url), event.ports[0]));
    return;
  }
  if (data.type !== "keep" || !Array.isArray(data.urls)) {
    return;
  }
  event.waitUntil(data.urls.reduce(function (previous, url) {
    return previous.then(function () { return keep(String(url)); });
  }, Promise.resolve()));
});
