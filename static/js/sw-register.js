// Progressive enhancement: pages work without it; with it, visited pages stay readable offline.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    // Keeps this language's "not saved" page and refreshes a saved copy that has grown old.
    registration.active.postMessage({ type: "hello", language: document.documentElement.lang });
  }).catch(function () {});
}
