/* The grid worker's report page: every report goes into an outbox in IndexedDB first, with
 * an idempotency key made when it was written, and is sent from there — at once when online,
 * again when the connection comes back ("online" event) and every 20 s while any wait. The
 * server stores one report per key, so a report sent twice (an answer lost on the way) is
 * never registered twice. A report the server refuses (4xx) stays in the outbox with the
 * reason until the worker deletes it. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var D = form.dataset;
  var DB = "fq-grid-outbox", STORE = "reports";
  var list = document.getElementById("outbox");
  var net = document.getElementById("net-state");
  var flushing = false;
  var flushes = 0; // finished sending rounds (tests and the curious can watch it)
  var results = {};

  function newKey() {
    if (window.crypto && crypto.randomUUID) return "r-" + crypto.randomUUID();
    var a = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return "r-" + Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var out = fn(t.objectStore(STORE));
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  var put = function (item) { return tx("readwrite", function (s) { return s.put(item); }); };
  var del = function (key) { return tx("readwrite", function (s) { return s.delete(key); }); };
  var all = function () { return tx("readonly", function (s) { return s.getAll(); }); };

  function csrf() { return form.querySelector("[name=csrfmiddlewaretoken]").value; }

  function render() {
    return all().then(function (items) {
      list.textContent = "";
      items.sort(function (a, b) { return a.created - b.created; });
      items.forEach(function (it) {
        var li = document.createElement("li");
        li.className = it.error ? "failed" : "queued";
        li.dataset.key = it.key;
        li.textContent = it.fields.title + " — " + (it.error ? D.msgFailed + it.error : D.msgQueued);
        if (it.error) {
          var b = document.createElement("button");
          b.type = "button"; b.className = "linkbtn"; b.textContent = D.msgDelete;
          b.onclick = function () { del(it.key).then(render); };
          li.appendChild(document.createTextNode(" "));
          li.appendChild(b);
        }
        list.appendChild(li);
      });
      Object.keys(results).forEach(function (k) {
        var li = document.createElement("li");
        li.className = "sent";
        li.dataset.key = k;
        li.textContent = results[k];
        list.appendChild(li);
      });
    });
  }

  function send(item) {
    var fd = new FormData();
    Object.keys(item.fields).forEach(function (k) { fd.append(k, item.fields[k]); });
    fd.append("key", item.key);
    (item.photos || []).forEach(function (p) { fd.append("photos", p, p.name || "photo.jpg"); });
    return fetch(D.submitUrl, {
      method: "POST", body: fd, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Idempotency-Key": item.key, "Accept": "application/json" }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
    });
  }

  function flush() {
    if (flushing || !navigator.onLine) { updateNet(); return Promise.resolve(); }
    flushing = true;
    return all().then(function (items) {
      var pending = items.filter(function (i) { return !i.error; });
      var chain = Promise.resolve(true);
      pending.forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) return false;
          return send(item).then(function (res) {
            if (res.status === 200 || res.status === 201) {
              var b = res.body;
              results[item.key] = item.fields.title + " — " +
                (b.case ? D.msgSentCase + b.case : D.msgSentSpot) + (b.created ? "" : D.msgDup) +
                (b.location_check === "outside" ? " · " + b.location_label : "");
              return del(item.key).then(function () { return true; });
            }
            if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
              item.error = (res.body && res.body.message) || String(res.status);
              return put(item).then(function () { return true; });
            }
            return false; // the server is in trouble: try again later
          }, function () { return false; }); // offline or the connection dropped
        });
      });
      return chain;
    }).then(function () { flushing = false; updateNet(); list.dataset.flushes = ++flushes; return render(); },
            function () { flushing = false; updateNet(); });
  }

  function updateNet() {
    net.textContent = navigator.onLine ? D.online || net.dataset.online : net.dataset.offline;
    net.className = navigator.onLine ? "ok" : "queued";
  }

  function locate() {
    var state = document.getElementById("loc-state");
    if (!navigator.geolocation) { state.textContent = D.msgNoloc; return; }
    state.textContent = D.msgLocating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("r-lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("r-lon").value = pos.coords.longitude.toFixed(6);
      state.textContent = D.msgLocated + " " + pos.coords.longitude.toFixed(5) + ", " + pos.coords.latitude.toFixed(5);
    }, function () { state.textContent = D.msgNoloc; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  form.querySelectorAll("[name=outcome]").forEach(function (r) {
    r.addEventListener("change", function () {
      document.getElementById("resolution-field").hidden = form.elements["outcome"].value !== "on_the_spot";
    });
  });
  document.getElementById("locate").addEventListener("click", locate);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var err = document.getElementById("form-error");
    var E = form.elements;
    if (!E["title"].value.trim() || !E["text"].value.trim()) {
      err.textContent = D.msgRequired; err.hidden = false; return;
    }
    err.hidden = true;
    var fields = {};
    ["grid", "category", "title", "text", "outcome", "resolution", "latitude", "longitude",
     "party_name", "party_phone"].forEach(function (n) {
      var f = form.elements[n];
      if (f) fields[n] = f.value;
    });
    fields.observed_at = new Date().toISOString();
    var photos = Array.prototype.slice.call(document.getElementById("r-photos").files || []);
    var item = { key: newKey(), created: Date.now(), fields: fields, photos: photos };
    put(item).then(function () {
      var keepLat = E["latitude"].value, keepLon = E["longitude"].value;
      form.reset();
      E["latitude"].value = keepLat; E["longitude"].value = keepLon;
      document.getElementById("resolution-field").hidden = true;
      return render();
    }).then(flush);
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", updateNet);
  setInterval(flush, 20000);
  updateNet();
  render().then(flush);
  locate();
})();
