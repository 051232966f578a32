// "Meinen Standort verwenden": the browser finds the nearest known place and fills it in.
// The position is compared on the phone with the place list of the form; it is never sent.
(function () {
  "use strict";
  var input = document.getElementById("f-nahe");
  var box = document.querySelector(".near .locate");
  if (!input || !box || !("geolocation" in navigator)) return;
  var places = Array.prototype.map.call(document.querySelectorAll("#f-nahe-orte option"), function (option) {
    return { name: option.value, lat: parseFloat(option.dataset.lat), lon: parseFloat(option.dataset.lon) };
  });
  if (!places.length) return;
  var status = box.querySelector("[role=status]");
  function km(a, b) {
    var r = Math.PI / 180, dLat = (b.lat - a.lat) * r, dLon = (b.lon - a.lon) * r;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.pow(Math.sin(dLon / 2), 2);
    return 12742 * Math.asin(Math.sqrt(h));
  }
  box.hidden = false;
  box.querySelector("button").addEventListener("click", function () {
    status.textContent = "";
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = { lat: position.coords.latitude, lon: position.coords.longitude };
      var nearest = places.reduce(function (best, place) {
        return km(here, place) < km(here, best) ? place : best;
      });
      input.value = nearest.name;
      input.form.submit();
    }, function () {
      status.textContent = status.dataset.failed;
    }, { maximumAge: 600000, timeout: 15000 });
  });
})();
