// The admin asks before leaving a form with changes not yet saved (a link, the back button,
// closing the tab). Saving never depends on this: every button that acts on an object sends
// its form, so nothing typed is dropped (see OfferAdmin._after_save_one_click).
(function () {
  "use strict";
  var watched = [];
  var submitting = false;

  function state(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") {
        parts.push(name + "=" + (typeof value === "string" ? value : value.name));
      }
    });
    return parts.join("&");
  }

  function unsaved() {
    return watched.some(function (entry) {
      // A form sent back with errors holds what she typed, not what is saved.
      return entry.rejected || state(entry.form) !== entry.initial;
    });
  }

  window.addEventListener("load", function () {
    // Change and add forms (id "<model>_form"); the list's selection boxes are no typed content.
    document.querySelectorAll('#content-main form[method="post"][id$="_form"]').forEach(function (form) {
      watched.push({ form: form, initial: state(form), rejected: !!form.querySelector(".errornote") });
    });
  });
  document.addEventListener("submit", function () { submitting = true; }, true);
  window.addEventListener("pageshow", function () { submitting = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
