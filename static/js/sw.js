/* Offline reading for parents: visited pages, and on request every offer of the district.
 *
 * Served at /sw.js (scope "/") by directory.offline.service_worker, which fills in the
 * interface languages (LANGUAGES below).
 * - Pages (navigations): network first, so a connected parent always sees the current
 *   entry; each good answer is kept (the last MAX_PAGES). Offline (or after a long wait)
 *   the kept copy is shown with the offline notice the page carries hidden (#offline-notice).
 *   Without a kept copy, a page is built from the saved bundle ("Alle Angebote speichern"
 *   on the start page, directory/offline.py), else the styled "not saved" page of the
 *   reader's language (/<lang>/offline/, kept with its stylesheet), else a small page in
 *   her language built here (LAST_RESORT).
 * - The bundle is replaced only after the new one has arrived whole and parsed: an
 *   interrupted download leaves the previous copy as it was. It refreshes itself (a 304
 *   when nothing changed) when a page is opened online and the copy is over an hour old.
 * - Static files: hashed names never change, so a kept copy is used as is.
 * - Never touched: /admin/ and its files, anything but GET, other hosts, and answers marked private
 *   or no-store (the server marks every answer to a request with a session cookie).
 */
"use strict";

const LANGUAGES = /*LANGUAGES*/["de"];
// The words of the last-resort page per language (directory.offline.last_resort_texts).
const LAST_RESORT = /*LAST_RESORT*/{ rtl: [] };
const PAGES = "wegweiser-pages-v1";
const ASSETS = "wegweiser-assets-v1";
const SAVED = "wegweiser-saved-v1";
const FALLBACK = "wegweiser-fallback-v2";
const KEEP = [PAGES, ASSETS, SAVED, FALLBACK];
const MAX_PAGES = 60;
const NETWORK_TIMEOUT_MS = 6000;
const REFRESH_AFTER_MS = 60 * 60 * 1000;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.startsWith("wegweiser-") && KEEP.indexOf(name) === -1;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// --- Languages and addresses -----------------------------------------------------------

function languageOf(path) {
  const match = path.match(/^\/([a-z]{2,3}(?:-[a-z]+)?)(\/|$)/);
  return match && match[1] !== LANGUAGES[0] && LANGUAGES.indexOf(match[1]) !== -1 ? match[1] : LANGUAGES[0];
}

function prefix(language) {
  return language === LANGUAGES[0] ? "" : "/" + language;
}

function absolute(path) {
  return new URL(path, self.location.origin).href;
}

function bundleUrl(language) { return absolute(prefix(language) + "/offline/paket.json"); }
function metaUrl(language) { return absolute(prefix(language) + "/offline/paket-gespeichert.json"); }
function fallbackUrl(language) { return absolute(prefix(language) + "/offline/"); }

// --- The saved bundle ------------------------------------------------------------------

function readMeta(language) {
  return caches.open(SAVED).then(function (cache) { return cache.match(metaUrl(language)); })
    .then(function (hit) { return hit ? hit.json() : null; });
}

function writeMeta(cache, language, meta) {
  return cache.put(metaUrl(language), new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } }));
}

// Read from the cache on every use (a few milliseconds): the cache is the one truth, so a
// page built right after a refresh never shows an older copy kept in memory.
function loadBundle(language) {
  return caches.open(SAVED).then(function (cache) { return cache.match(bundleUrl(language)); }).then(function (hit) {
    return hit ? hit.json() : null;
  }).catch(function () { return null; });
}

// One download per language at a time: a slow save finishing late never overwrites a newer copy.
const queues = {};

function saveBundle(language, onlyIfChanged) {
  const next = (queues[language] || Promise.resolve()).catch(function () {}).then(function () {
    return downloadBundle(language, onlyIfChanged);
  });
  queues[language] = next;
  return next;
}

function downloadBundle(language, onlyIfChanged) {
  const url = bundleUrl(language);
  return caches.open(SAVED).then(function (cache) {
    return Promise.all([cache.match(url), readMeta(language)]).then(function (found) {
      const old = found[0], meta = found[1];
      const headers = {};
      if (onlyIfChanged && old && old.headers.get("ETag")) headers["If-None-Match"] = old.headers.get("ETag");
      return fetch(url, { headers: headers, cache: "no-store", credentials: "omit" }).then(function (response) {
        if (response.status === 304 && old && meta) {
          meta.checked = new Date().toISOString();
          return writeMeta(cache, language, meta).then(function () { return meta; });
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        // Read to the end and parse before anything is replaced: a broken download throws here.
        return response.text().then(function (text) {
          const data = JSON.parse(text);
          if (!data || data.language !== language || !Array.isArray(data.offers) || typeof data.shell !== "string") {
            throw new Error("not a bundle");
          }
          return caches.open(ASSETS).then(function (assets) {
            return Promise.all(data.assets.map(function (path) {
              return assets.match(path).then(function (hit) {
                return hit || fetch(path).then(function (answer) {
                  if (!answer.ok) throw new Error("asset " + path);
                  return assets.put(path, answer);
                });
              });
            }));
          }).then(function () {
            const now = new Date().toISOString();
            const fresh = { language: language, generated: data.generated, saved: now, checked: now,
              offers: data.offers.length, bytes: text.length };
            const kept = new Response(text, { headers: { "Content-Type": "application/json; charset=utf-8",
              "ETag": response.headers.get("ETag") || "" } });
            // One put each: the old bundle is replaced in a single step, then its description.
            return cache.put(url, kept).then(function () {
              return writeMeta(cache, language, fresh);
            }).then(function () { return fresh; });
          });
        });
      });
    });
  });
}

// A saved copy is asked for again (a 304 when nothing changed) when the phone is back
// online, and on page visits once it is over an hour old; a failure keeps the copy.
function refresh(language, always) {
  return readMeta(language).then(function (meta) {
    if (!meta) return null;
    if (!always && Date.now() - Date.parse(meta.checked || meta.saved) < REFRESH_AFTER_MS) return meta;
    return saveBundle(language, true).catch(function () { return meta; });
  }).catch(function () { return null; });
}

// The "not saved" page of this language, and the stylesheets it uses: offline it must be
// styled even when the parent has seen just one page (whose stylesheet came before the worker).
function keepFallbackPage(language) {
  return caches.open(FALLBACK).then(function (cache) {
    const url = fallbackUrl(language);
    return cache.match(url).then(function (hit) {
      return hit || fetch(url, { credentials: "omit" }).then(function (response) {
        if (response.ok) return cache.put(url, response.clone()).then(function () { return response.text(); });
      });
    });
  }).then(function (found) {
    if (!found) return;
    return (typeof found === "string" ? Promise.resolve(found) : found.text()).then(keepStylesheets);
  }).catch(function () {});
}

function keepStylesheets(html) {
  const links = html.match(/<link rel="stylesheet" href="[^"]+"/g) || [];
  return caches.open(ASSETS).then(function (assets) {
    return Promise.all(links.map(function (link) {
      const path = absolute(link.slice(link.indexOf('href="') + 6, -1));
      return assets.match(path).then(function (hit) {
        return hit || fetch(path, { credentials: "omit" }).then(function (answer) {
          if (isStorable(answer)) return assets.put(path, answer);
        });
      });
    }));
  });
}

function deleteEverything() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.startsWith("wegweiser-"); })
      .map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("message", function (event) {
  const message = event.data || {};
  const reply = function (answer) { if (event.ports[0]) event.ports[0].postMessage(answer); };
  const language = LANGUAGES.indexOf(message.language) !== -1 ? message.language : LANGUAGES[0];
  let work;
  if (message.type === "hello") {
    work = Promise.all([keepFallbackPage(language), refresh(language, false)]);
  } else if (message.type === "status") {
    work = readMeta(language).then(function (meta) { reply({ ok: true, meta: meta }); });
  } else if (message.type === "save") {
    work = saveBundle(language, false).then(function (meta) { reply({ ok: true, meta: meta }); },
      function (error) { reply({ ok: false, error: String(error) }); });
  } else if (message.type === "refresh") {
    work = refresh(language, true).then(function (meta) { reply({ ok: true, meta: meta }); });
  } else if (message.type === "delete") {
    work = deleteEverything().then(function () { reply({ ok: true }); });
  } else {
    return;
  }
  event.waitUntil(work.catch(function (error) { reply({ ok: false, error: String(error) }); }));
});

// --- Pages built from the bundle ---------------------------------------------------------

function esc(text) {
  return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, function (_all, name) { return values[name]; });
}

function de(offer, key) {
  return offer.de && offer.de.indexOf(key) !== -1 ? ' lang="de" dir="ltr"' : "";
}

function formatDate(iso, language) {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: "long", timeStyle: "short" }).format(new Date(iso));
  } catch (error) {
    return iso;
  }
}

function pathOf(bundle, kind, slug) {
  return bundle.paths[kind].replace("SLUG", encodeURIComponent(slug));
}

function lines(text) {
  return String(text || "").split(/\n+/).map(function (line) { return line.trim(); }).filter(Boolean);
}

function savedNote(bundle, meta) {
  return '<p class="note" role="status">' + esc(fill(bundle.labels.offline_notice,
    { date: formatDate(meta ? meta.saved : bundle.generated, bundle.language) })) + "</p>";
}

// The reader's list separator from the bundle ("، " in Arabic and Persian); older saved bundles lack it.
function separator(bundle) {
  return bundle.labels.list_separator || ", ";
}

function card(bundle, offer) {
  const towns = [];
  offer.a.forEach(function (place) { if (towns.indexOf(place[3]) === -1) towns.push(place[3]); });
  return '<li><article class="card"><h3' + de(offer, "t") + '><a href="' + esc(pathOf(bundle, "offer", offer.s)) + '">' +
    esc(offer.t) + "</a></h3><p" + de(offer, "u") + ">" + esc(offer.u) + "</p>" +
    (towns.length ? '<ul class="facts"><li>' + esc(towns.join(separator(bundle))) + "</li></ul>" : "") +
    '<p class="org"><bdi>' + esc(offer.o) + "</bdi></p></article></li>";
}

function listing(bundle, meta, title, offers, lead) {
  return {
    title: title,
    html: savedNote(bundle, meta) + "<h1>" + esc(title) + "</h1>" + (lead || "") +
      '<p class="hint">' + esc(bundle.labels.filters_offline) + "</p>" +
      '<h2 class="count">' + esc(fill(bundle.labels.count, { count: offers.length })) + "</h2>" +
      '<ul class="cards">' + offers.map(function (offer) { return card(bundle, offer); }).join("") + "</ul>"
  };
}

function offerPage(bundle, meta, offer) {
  const labels = bundle.labels;
  const flags = offer.f;
  let html = savedNote(bundle, meta);
  const categories = bundle.categories.filter(function (c) { return offer.c.indexOf(c.s) !== -1; });
  if (categories.length) {
    html += '<p class="crumbs">' + categories.map(function (c) {
      return '<a href="' + esc(pathOf(bundle, "category", c.s)) + '">' + esc(c.n) + "</a>";
    }).join(" · ") + "</p>";
  }
  html += "<h1" + de(offer, "t") + ">" + esc(offer.t) + "</h1>";
  if (offer.de && (offer.de.indexOf("t") !== -1 || offer.de.indexOf("u") !== -1)) {
    html += '<p class="note">' + esc(labels.german_only) + "</p>";
  }
  html += '<p class="lead"' + de(offer, "u") + ">" + esc(offer.u) + '</p><dl class="facts">';
  if (offer.l.length) {
    html += "<dt>" + esc(labels.languages) + "</dt><dd>" + offer.l.map(function (l) {
      return '<bdi lang="' + esc(l[0]) + '">' + esc(l[1]) + "</bdi>";
    }).join(esc(separator(bundle))) + "</dd>";
  }
  html += "<dt>" + esc(labels.costs) + "</dt><dd" + (flags & 1 ? "" : de(offer, "k")) + ">" +
    esc(flags & 1 ? labels.free : (offer.k || labels.not_free)) + "</dd>";
  html += "<dt>" + esc(labels.appointment) + "</dt><dd>" + esc(flags & 2 ? labels.no_appointment : labels.with_appointment) + "</dd>";
  if (offer.g.length) {
    html += "<dt>" + esc(labels.how) + "</dt><dd>" + esc(offer.g.join(separator(bundle))) + (flags & 8 ? " – " + esc(labels.remote) : "") + "</dd>";
  }
  html += "</dl>";
  const steps = lines(offer.h);
  if (steps.length) {
    html += "<h2>" + esc(labels.steps) + '</h2><ol class="steps"' + de(offer, "h") + ">" +
      steps.map(function (step) { return "<li>" + esc(step) + "</li>"; }).join("") + "</ol>";
  }
  if (offer.z) {
    html += "<h2>" + esc(labels.hours) + '</h2><ul class="hours">' +
      offer.z.map(function (line) { return "<li>" + esc(line) + "</li>"; }).join("") + "</ul>";
  }
  if (offer.p.length) {
    html += "<h2>" + esc(labels.contact) + '</h2><ul class="contacts">' + offer.p.map(function (c) {
      return '<li><p class="name"><bdi>' + esc(c[0]) + '</bdi></p><p class="actions">' +
        (c[1] ? '<a class="btn" href="tel:' + esc(c[1].replace(/[^0-9+]/g, "")) + '"><span><span class="vh">' + esc(labels.call) +
          ' </span><bdi class="tel" dir="ltr">' + esc(c[1]) + "</bdi></span></a> " : "") +
        (c[2] ? '<a class="btn" href="mailto:' + esc(c[2]) + '"><span dir="ltr">' + esc(c[2]) + "</span></a>" : "") + "</p>" +
        (c[3] ? "<p>" + esc(labels.reachable) + ' <span lang="de" dir="ltr">' + esc(c[3]) + "</span></p>" : "") + "</li>";
    }).join("") + "</ul>";
  }
  if (offer.a.length) {
    html += "<h2>" + esc(labels.where) + "</h2>" + offer.a.map(function (a) {
      return '<section class="place"><h3><bdi>' + esc(a[0]) + "</bdi></h3><address><bdi>" + esc(a[1]) + "</bdi><br><bdi>" +
        esc(a[2] + " " + a[3]) + "</bdi></address>" +
        (a[4] ? "<p><strong>" + esc(labels.hours) + '</strong> <span lang="de" dir="ltr">' + esc(a[4]) + "</span></p>" : "") + "</section>";
    }).join("");
  }
  if (offer.d) {
    html += "<h2>" + esc(labels.more) + "</h2><div" + de(offer, "d") + ">" +
      lines(offer.d).map(function (line) { return "<p>" + esc(line) + "</p>"; }).join("") + "</div>";
  }
  html += "<h2>" + esc(labels.provider) + "</h2><p><bdi>" + esc(offer.o) + "</bdi></p>";
  return { title: offer.t, html: html };
}

function homePage(bundle, meta) {
  const tiles = bundle.categories.map(function (c) {
    const count = bundle.offers.filter(function (offer) { return offer.c.indexOf(c.s) !== -1; }).length;
    return '<li><a href="' + esc(pathOf(bundle, "category", c.s)) + '"><span><span class="name">' + esc(c.n) +
      '</span><span class="n">' + esc(fill(bundle.labels.count, { count: count })) + "</span></span></a></li>";
  }).join("");
  return {
    title: bundle.labels.all_offers,
    html: savedNote(bundle, meta) + '<ul class="tiles">' + tiles + '</ul><p class="all"><a href="' +
      esc(bundle.paths.list) + '">' + esc(bundle.labels.all_offers) + "</a></p>"
  };
}

function notSavedContent(bundle) {
  return { title: bundle.labels.not_saved_title, html: "<h1>" + esc(bundle.labels.not_saved_title) + "</h1><p>" +
    esc(bundle.labels.not_saved) + '</p><p><a href="' + esc(bundle.paths.home) + '">' + esc(bundle.labels.to_start) + "</a></p>" };
}

function fromBundle(url) {
  const language = languageOf(url.pathname);
  return Promise.all([loadBundle(language), readMeta(language)]).then(function (found) {
    const bundle = found[0], meta = found[1];
    if (!bundle) return null;
    const rest = url.pathname.slice(prefix(language).length) || "/";
    let page = null, match;
    if (rest === "/") {
      page = homePage(bundle, meta);
    } else if (rest === "/angebote/") {
      page = listing(bundle, meta, bundle.labels.all_offers, bundle.offers);
    } else if ((match = rest.match(/^\/kategorie\/([^/]+)\/$/))) {
      const slug = decodeURIComponent(match[1]);
      const category = bundle.categories.find(function (c) { return c.s === slug; });
      if (category) {
        page = listing(bundle, meta, category.n, bundle.offers.filter(function (offer) { return offer.c.indexOf(slug) !== -1; }),
          category.d ? '<p class="lead">' + esc(category.d) + "</p>" : "");
      }
    } else if ((match = rest.match(/^\/angebot\/([^/]+)\/$/))) {
      const slug = decodeURIComponent(match[1]);
      const offer = bundle.offers.find(function (o) { return o.s === slug; });
      if (offer) page = offerPage(bundle, meta, offer);
    }
    const status = page ? 200 : 503;
    page = page || notSavedContent(bundle);
    const html = bundle.shell.replace("<!--offline-title-->", esc(page.title)).replace("<!--offline-content-->", page.html);
    return new Response(html, { status: status, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

// --- Fetch handling --------------------------------------------------------------------

function isStorable(response) {
  if (!response || response.status !== 200 || response.type !== "basic") return false;
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return control.indexOf("private") === -1 && control.indexOf("no-store") === -1;
}

function withOfflineNotice(response) {
  return response.text().then(function (html) {
    let shown = html.replace(/<([a-z]+) id="offline-notice"([^>]*?) hidden>/, '<$1 id="offline-notice"$2>');
    const headers = new Headers(response.headers);
    headers.delete("Content-Length");
    return new Response(shown, { status: 200, headers: headers });
  });
}

// Nothing kept at all (e.g. just after "Gespeicherte Seiten löschen"): a small page in the
// reader's language, styled inline so it needs no other file.
function lastResort(language) {
  const words = LAST_RESORT.words ? LAST_RESORT.words[language] || LAST_RESORT.words[LANGUAGES[0]] : ["Offline", "/"];
  const html = '<!doctype html><html lang="' + esc(language) + '" dir="' + (LAST_RESORT.rtl.indexOf(language) === -1 ? "ltr" : "rtl") +
    '"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>' + esc(words[0]) +
    "</title><style>body{margin:0;font:1.1rem/1.5 system-ui,sans-serif}header{background:#0b4f8a;color:#fff;padding:1rem}" +
    "main{padding:1rem}a{color:#0b4f8a}</style><header>" + esc(LAST_RESORT.site) + "</header><main><h1>" + esc(words[0]) +
    '</h1><p><a href="' + prefix(language) + '/">' + esc(words[1]) + "</a></p></main>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function notSaved(url) {
  const language = languageOf(url.pathname);
  // The reader's own "not saved" page; never another language's: the built-in page speaks hers.
  return caches.open(FALLBACK).then(function (cache) { return cache.match(fallbackUrl(language)); }).then(function (hit) {
    if (!hit) return lastResort(language);
    return hit.text().then(function (html) {
      return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

function offline(request) {
  const url = new URL(request.url);
  return caches.open(PAGES).then(function (cache) { return cache.match(request); }).then(function (copy) {
    if (copy) return withOfflineNotice(copy);
    return fromBundle(url).then(function (built) { return built || notSaved(url); });
  });
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
  const slow = new Promise(function (resolve) {
    setTimeout(resolve, NETWORK_TIMEOUT_MS);
  }).then(function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(request); });
  }).then(function (copy) {
    return copy ? withOfflineNotice(copy) : fromNetwork;
  });
  return Promise.race([fromNetwork, slow]).catch(function () {
    return offline(request);
  }).catch(function () {
    return lastResort(languageOf(new URL(request.url).pathname));
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
