/* Patrol form: a key made when the page opens (a resubmitted form is stored once), the
 * times filled in, and the route traced with the phone's position while the patrol runs. */
(function () {
  "use strict";
  var form = document.getElementById("patrol-form");
  if (!form) return;
  var key = document.getElementById("p-key");
  key.value = "p-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  var pad = function (n) { return ("0" + n).slice(-2); };
  var local = function (d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  };
  var from = document.getElementById("p-from"), to = document.getElementById("p-to");
  var now = new Date();
  if (!from.value) from.value = local(new Date(now.getTime() - 3600 * 1000));
  if (!to.value) to.value = local(now);
  var points = [], watch = null;
  var state = document.getElementById("p-state");
  document.getElementById("p-start").addEventListener("click", function () {
    if (!navigator.geolocation) return;
    from.value = local(new Date());
    points = [];
    watch = navigator.geolocation.watchPosition(function (pos) {
      points.push([+pos.coords.longitude.toFixed(6), +pos.coords.latitude.toFixed(6)]);
      state.textContent = points.length;
    }, function () {}, { enableHighAccuracy: true });
    document.getElementById("p-stop").disabled = false;
  });
  document.getElementById("p-stop").addEventListener("click", function () {
    if (watch !== null) navigator.geolocation.clearWatch(watch);
    to.value = local(new Date());
    if (points.length >= 2) {
      document.getElementById("p-route").value = JSON.stringify({ type: "LineString", coordinates: points });
    }
  });
})();
