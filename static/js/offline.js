// "Ohne Internet lesen": save every offer in this language on the phone, see when, delete.
// Only shown where the browser can keep pages (service worker and Cache Storage).
(function () {
  "use strict";
  var box = document.getElementById("offline");
  if (!box || !("serviceWorker" in navigator) || !("caches" in window)) return;
  var language = document.documentElement.lang;
  var state = box.querySelector(".offline-state");
  var check = box.querySelector(".offline-check");
  var save = box.querySelector(".offline-save");
  var remove = box.querySelector(".offline-delete");
  var d = box.dataset;

  function ask(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        message.language = language;
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }
  function size(bytes) {
    var kb = Math.max(1, Math.round(bytes / 1024));
    return kb >= 1024 ? new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(kb / 1024) + " MB"
      : new Intl.NumberFormat(language).format(kb) + " KB";
  }
  function date(iso) {
    try { return new Intl.DateTimeFormat(language, { dateStyle: "long", timeStyle: "short" }).format(new Date(iso)); }
    catch (error) { return iso; }
  }
  function show(meta) {
    if (meta) {
      state.textContent = d.saved.replace("{date}", date(meta.saved)).replace("{count}", meta.offers);
      check.textContent = d.update;
    } else {
      state.textContent = d.none;
      check.textContent = d.check;
    }
    save.hidden = true;
    check.hidden = false;
    check.disabled = false;
  }

  // "A previous copy stays" only where there is one; else how to try again.
  function failed(meta) {
    show(meta);
    state.textContent = meta ? d.failed + " " + state.textContent : d.failedNone;
  }

  check.addEventListener("click", function () {
    check.disabled = true;
    state.textContent = d.asking;
    fetch(box.dataset.info, { cache: "no-store", credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (info) {
      save.textContent = d.save.replace("{size}", size(info.bytes));
      state.textContent = d.download.replace("{size}", size(info.bytes)).replace("{count}", info.offers);
      check.hidden = true;
      save.hidden = false;
      save.focus();
    }).catch(function () {
      check.disabled = false;
      return ask({ type: "status" }).then(function (status) { failed(status && status.meta); });
    });
  });
  save.addEventListener("click", function () {
    save.disabled = true;
    state.textContent = d.saving;
    ask({ type: "save" }).then(function (answer) {
      save.disabled = false;
      if (answer && answer.ok) { show(answer.meta); remove.hidden = false; }
      else {
        return ask({ type: "status" }).then(function (status) { failed(status && status.meta); });
      }
    });
  });
  remove.addEventListener("click", function () {
    ask({ type: "delete" }).then(function () {
      show(null);
      state.textContent = d.deleted;
      remove.hidden = true;
    });
  });
  window.addEventListener("online", function () {
    ask({ type: "refresh" }).then(function (answer) { if (answer && answer.meta) show(answer.meta); });
  });
  box.hidden = false;
  ask({ type: "status" }).then(function (answer) {
    show(answer && answer.meta);
    // Visited pages are kept too, so deleting is offered whenever anything is stored.
    return caches.keys().then(function (names) {
      remove.hidden = !names.some(function (name) { return name.indexOf("wegweiser-") === 0; });
    });
  });
})();
