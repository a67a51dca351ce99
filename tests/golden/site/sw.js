/* Offline reading: a service worker that keeps a copy of every page a reader opened (and what it needs to
   show: styles, scripts, charts, the search index), so that those pages open again without a connection.
   Always network first: online, readers get the published page, never an old copy; the copy is used only
   when the network fails. Data files (CSV, XLSX, ZIP, the JSON records) are not kept: downloads need a
   connection, and the cache stays small. Registered by assets/javascripts/site.js; served at the root of
   each language's site so that its scope covers every page of that language. */
"use strict";

var CACHE = "cum-thi-dua-so-2-offline-v1";
var KEEP_TYPES = /^(text\/html|text\/css|(application|text)\/javascript|image\/svg\+xml|image\/png|image\/x-icon)/;

function keeps(request, response) {
  if (!response || !response.ok || response.type !== "basic") return false;
  if (/\/search\/search_index\.json$/.test(new URL(request.url).pathname)) return true;
  return KEEP_TYPES.test(response.headers.get("content-type") || "");
}

function fetchAndKeep(request) {
  return fetch(request).then(function (response) {
    if (keeps(request, response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetchAndKeep(request).catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (kept) { return kept || Response.error(); });
    })
  );
});

/* The first page a reader opens is loaded before this worker runs: site.js sends its address and the files it
   loaded, and they are kept now (from the browser's own cache where it can). */
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.keep) || [];
  event.waitUntil(Promise.all(urls.map(function (url) {
    if (new URL(url).origin !== self.location.origin) return null;
    var request = new Request(url, { cache: "force-cache" });
    return fetchAndKeep(request).catch(function () { return null; });
  })));
});
