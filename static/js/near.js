// "Meinen Standort verwenden": the browser finds the nearest known place and fills it in.
// The position is compared on the phone with the place list (/orte.json); it is never sent.
(function () {
  "use strict";
  var input = document.getElementById("f-nahe");
  var box = document.querySelector(".near .locate");
  if (!input || !box || !("geolocation" in navigator)) return;
  var status = box.querySelector("[role=status]");
  function km(a, b) {
    var r = Math.PI / 180, dLat = (b[1] - a[1]) * r, dLon = (b[2] - a[2]) * r;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.pow(Math.sin(dLon / 2), 2);
    return 12742 * Math.asin(Math.sqrt(h));
  }
  function failed() { status.textContent = status.dataset.failed; }
  var list;
  // The names come with the first tap, not with every listing page (its weight budget).
  function places() {
    list = list || fetch(box.dataset.places).then(function (response) { return response.json(); }).then(function (data) {
      status.dataset.outside = data.outside;  // for a position far (15 km) from every place
      return data.places;
    });
    return list;
  }
  input.addEventListener("focus", function () {
    places().then(function (rows) {
      var options = document.getElementById("f-nahe-orte");
      if (options.children.length) return;
      rows.forEach(function (row) { var option = document.createElement("option"); option.value = row[0]; options.appendChild(option); });
    }).catch(function () {});
  }, { once: true });
  box.hidden = false;
  box.querySelector("button").addEventListener("click", function () {
    status.textContent = "";
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = ["", position.coords.latitude, position.coords.longitude];
      places().then(function (rows) {
        var nearest = rows.reduce(function (best, place) { return km(here, place) < km(here, best) ? place : best; });
        var away = Math.round(km(here, nearest));
        input.value = nearest[0];
        if (away <= 15) input.form.submit();
        else status.textContent = status.dataset.outside.replace("{place}", nearest[0]).replace("{km}", away);
      }).catch(failed);
    }, failed, { maximumAge: 600000, timeout: 15000 });
  });
})();
