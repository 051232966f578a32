/* Offline reading for parents: the pages they opened stay readable without a connection.
 *
 * Served at /sw.js (scope "/") by directory.views.service_worker.
 * - Pages (navigations): network first, so a connected parent always sees the current
 *   entry; each good answer is kept. Offline (or after a long wait) the kept copy is
 *   shown with the offline notice the page carries hidden (#offline-notice).
 * - Static files: hashed names never change, so a kept copy is used as is.
 * - Never touched: /admin/ and its files, anything but GET, other hosts, and answers marked private
 *   or no-store (the server marks every answer to a request with a session cookie).
 */
"use strict";

const VERSION = "v1";
const PAGES = "wegweiser-pages-" + VERSION;
const ASSETS = "wegweiser-assets-" + VERSION;
const MAX_PAGES = 60;
const NETWORK_TIMEOUT_MS = 6000;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.startsWith("wegweiser-") && name !== PAGES && name !== ASSETS;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isStorable(response) {
  if (!response || response.status !== 200 || response.type !== "basic") return false;
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return control.indexOf("private") === -1 && control.indexOf("no-store") === -1;
}

function withOfflineNotice(response) {
  return response.text().then(function (html) {
    let shown = html.replace(/<([a-z]+) id="offline-notice"([^>]*?) hidden>/, '<$1 id="offline-notice"$2>');
    if (shown === html) {
      shown = html.replace(/<body([^>]*)>/, '<body$1><p id="offline-notice" role="status"><strong>Sie sind offline.</strong> ' +
        "Sie sehen eine gespeicherte Fassung dieser Seite. Sie ist vielleicht nicht mehr aktuell.</p>");
    }
    const headers = new Headers(response.headers);
    headers.delete("Content-Length");
    return new Response(shown, { status: 200, headers: headers });
  });
}

function notSavedPage() {
  const html = '<!doctype html><html lang="de"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline</title>' +
    '<main><h1>Sie sind offline</h1><p>Diese Seite haben Sie noch nicht geöffnet, deshalb ist sie nicht gespeichert. ' +
    'Seiten, die Sie schon einmal geöffnet haben, können Sie auch ohne Internet lesen.</p><p><a href="/">Zur Startseite</a></p></main>';
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function trim(cache) {
  return cache.keys().then(function (keys) {
    return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map(function (key) { return cache.delete(key); }));
  });
}

function page(event) {
  const request = event.request;
  const fromNetwork = fetch(request).then(function (response) {
    if (isStorable(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(PAGES).then(function (cache) {
        // Re-adding moves the page to the end, so the least recently read go first.
        return cache.delete(request).then(function () { return cache.put(request, copy); }).then(function () { return trim(cache); });
      }));
    }
    return response;
  });
  const kept = function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(request); });
  };
  const slow = new Promise(function (resolve) {
    setTimeout(resolve, NETWORK_TIMEOUT_MS);
  }).then(kept).then(function (copy) {
    return copy ? withOfflineNotice(copy) : fromNetwork;
  });
  return Promise.race([fromNetwork, slow]).catch(function () {
    return kept().then(function (copy) { return copy ? withOfflineNotice(copy) : notSavedPage(); });
  });
}

function asset(event) {
  return caches.open(ASSETS).then(function (cache) {
    return cache.match(event.request).then(function (copy) {
      return copy || fetch(event.request).then(function (response) {
        if (isStorable(response)) event.waitUntil(cache.put(event.request, response.clone()));
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/admin/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith("/static/") && !url.pathname.startsWith("/static/admin/")) {
    event.respondWith(asset(event));
  }
});
