// The police's post check-in on voting day: an officer says "at the post" (time, position, Linmas
// present) and adds patrol notes later. Works offline with the field apps' shared queue
// (fieldqueue.js): each check-in waits on the phone under an id made here and is stored once.
(function () {
  "use strict";
  var root = document.getElementById("post-app");
  var labels = root.dataset;
  var Q = window.SinergiFieldQueue, queue = Q.open("sinergi-pos", 1, ["checkins"]);
  var postSelect = document.getElementById("post");
  var form = document.getElementById("checkin");
  var list = document.getElementById("queue");
  var netStatus = document.getElementById("net");
  var signIn = document.getElementById("signin");
  var posts = [];

  function localTime(iso) {
    var text;
    try {
      text = new Intl.DateTimeFormat(document.documentElement.lang || "id", { timeZone: labels.timeZone || undefined, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
    } catch (e) {
      text = iso.slice(11, 16);
    }
    return labels.zoneLabel ? text + " " + labels.zoneLabel : text;
  }

  function sendCheckIns() {
    return queue.all("checkins").then(function (items) {
      return items.filter(Q.waiting).reduce(function (chain, item) {
        return chain.then(function () {
          return Q.postJson("/api/v1/guard/check-ins", {
            client_id: item.client_id, post_id: item.post_id, kind: item.kind, at: item.at, latitude: item.latitude, longitude: item.longitude,
            linmas_present: item.linmas_present, police_present: item.police_present, notes: item.notes
          }, labels.csrf).then(function (a) { return Q.settle(queue, "checkins", item, a); });
        });
      }, Promise.resolve());
    });
  }

  function render() {
    return queue.all("checkins").then(function (items) {
      items.sort(function (a, b) { return a.saved_at < b.saved_at ? 1 : -1; });
      list.textContent = "";
      items.forEach(function (item) {
        var state = Q.waiting(item) ? "waiting" : item.state, li = document.createElement("li");
        li.dataset.state = state;
        var status = state === "sent" ? labels.labelSent : state === "waiting" ? labels.labelWaiting : item.error;
        li.textContent = item.post_label + " · " + item.kind_label + " · " + localTime(item.at) + " · " + status;
        list.appendChild(li);
      });
    });
  }

  var send = Q.sender({
    work: sendCheckIns,
    status: function (online) { netStatus.textContent = online ? labels.labelOnline : labels.labelOffline; },
    askToSignIn: function (ask) { signIn.hidden = !ask; },
    after: render
  });

  // The position, when the officer allows it and the phone finds it within a few seconds.
  function position() {
    if (!form.elements.position.checked || !navigator.geolocation) { return Promise.resolve(null); }
    return new Promise(function (resolve) {
      navigator.geolocation.getCurrentPosition(function (p) { resolve(p.coords); }, function () { resolve(null); }, { timeout: 8000, maximumAge: 60000 });
    });
  }

  function number(input) { return input.value === "" ? null : parseInt(input.value, 10); }

  function save(kind, kindLabel) {
    var chosen = postSelect.options[postSelect.selectedIndex];
    if (!chosen || !chosen.value) { return; }
    var at = new Date().toISOString();
    position().then(function (coords) {
      var item = {
        client_id: crypto.randomUUID(), post_id: parseInt(chosen.value, 10), post_label: chosen.text, kind: kind, kind_label: kindLabel, at: at,
        latitude: coords ? coords.latitude : null, longitude: coords ? coords.longitude : null,
        linmas_present: number(form.elements.linmas), police_present: number(form.elements.police),
        notes: form.elements.notes.value, saved_at: Date.now(), state: "waiting"
      };
      return queue.put("checkins", item).then(function () {
        form.elements.notes.value = "";
        var box = document.getElementById("saved");
        box.textContent = labels.labelSaved.replace("{time}", localTime(at)).replace("{what}", chosen.text + " · " + kindLabel);
        box.hidden = false;
        render(); send();
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save("hadir", labels.labelArrival);
  });
  document.getElementById("patrol").addEventListener("click", function () {
    if (!form.elements.notes.value.trim()) { form.elements.notes.focus(); return; }
    save("patroli", labels.labelPatrol);
  });

  // The posts are kept on the phone for offline use.
  var key = "sinergi-pos-" + labels.election;
  fetch("/api/v1/guard/posts?election=" + encodeURIComponent(labels.election), { credentials: "same-origin" }).then(function (r) {
    if (r.status === 401) { signIn.hidden = false; }
    if (!r.ok) { throw new Error(r.status); }
    return r.json();
  }).then(function (data) { localStorage.setItem(key, JSON.stringify(data)); return data; }).catch(function () {
    var saved = localStorage.getItem(key);
    return saved ? JSON.parse(saved) : [];
  }).then(function (data) {
    posts = data;
    postSelect.textContent = "";
    posts.forEach(function (p) {
      var option = document.createElement("option");
      option.value = String(p.id);
      option.textContent = labels.labelPost + " " + p.number + " (" + p.code + ") · " + p.stations.join(", ");
      postSelect.appendChild(option);
    });
    if (!posts.length) { netStatus.textContent = labels.labelNoPost; }
    root.dataset.ready = "1";
    render(); send();
  });

  if ("serviceWorker" in navigator) { navigator.serviceWorker.register(labels.sw, { scope: labels.scope }); }
})();
