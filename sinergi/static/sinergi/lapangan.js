// The PTPS field app: Form A and incidents offline. Reports and incidents wait in IndexedDB with an
// id made on the phone and are sent when a connection appears, with backoff and jitter; the server
// stores each id once. Photos (the C.Hasil copy, evidence) wait in their own store and follow once
// their report or incident is in: a slow photo never holds back a report.
// Only a refusal of the item itself ends its wait (docs/supervisors.md): 401, or 403 with
// code "csrf_failed", means "sign in again" and leaves every queue as it is. The queue itself
// (storage, resending, that rule) is fieldqueue.js, shared with the police's post check-in.
(function () {
  "use strict";
  var root = document.getElementById("field-app");
  var labels = root.dataset;
  var queueList = document.getElementById("queue");
  var stageSelect = document.getElementById("stage");
  var form = document.getElementById("report");
  var fields = document.getElementById("questions");
  var netStatus = document.getElementById("net");
  var signIn = document.getElementById("signin");
  var incidentForm = document.getElementById("incident");
  var post = null, questions = [], thumbs = {};
  var Q = window.SinergiFieldQueue, queue = Q.open("sinergi-lapangan", 3, ["reports", "photos", "incidents"]);
  // What ends an item's wait: a refusal of the report (invalid, not the PTPS's TPS, unknown TPS, id
  // reused, malformed): Q.REFUSES_ITEM. A photo's 404 means its report is not in yet, so it waits;
  // 413 is a proxy's upload limit.
  var REFUSES_ITEM = Q.REFUSES_ITEM;
  var REFUSES_PHOTO = [400, 403, 409, 413, 415, 422];

  function all(name) { return queue.all(name); }
  function put(name, item) { return queue.put(name, item); }
  function drop(name, id) { return queue.drop(name, id); }
  var waiting = Q.waiting;

  // Times in the election's time zone (WITA for Klungkung), whatever the phone's own setting.
  function localTime(iso) {
    var zone = (post && post.time_zone) || labels.timeZone || undefined, text;
    try {
      text = new Intl.DateTimeFormat(document.documentElement.lang || "id", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
    } catch (e) {
      text = iso.slice(11, 16);
    }
    return labels.zoneLabel ? text + " " + labels.zoneLabel : text;
  }

  function csrfToken() { return Q.csrfToken(labels.csrf); }
  var answer = Q.answer, signedOut = Q.signedOut, SignedOut = Q.SignedOut;
  function postJson(url, body) { return Q.postJson(url, body, labels.csrf); }
  function reason(a) { return Q.reason(a, labels.labelTooLarge); }
  // Stores what the server said of one report or incident; throws to stop and try later.
  function settle(name, item, a) { return Q.settle(queue, name, item, a, labels.labelTooLarge); }

  function reportBody(item) {
    return { client_id: item.client_id, station_id: item.station_id, stage: item.stage, answers: item.answers, narrative: item.narrative, observed_at: item.observed_at };
  }
  function sendReports() {
    return all("reports").then(function (items) {
      var queued = items.filter(waiting), batches = [];
      // After a long spell offline the queue goes in batches of up to 100, one request each.
      for (var n = 0; n < queued.length; n += 100) { batches.push(queued.slice(n, n + 100)); }
      return batches.reduce(function (chain, batch) {
        return chain.then(function () {
          return postJson("/api/v1/reports/batch", { reports: batch.map(reportBody) }).then(function (a) {
            if (signedOut(a)) { throw new SignedOut(); }
            if (REFUSES_ITEM.indexOf(a.status) !== -1) {
              // The batch as a whole was refused (one malformed report): each on its own, so that only that one is.
              return batch.reduce(function (c, item) {
                return c.then(function () { return postJson("/api/v1/reports", reportBody(item)).then(function (one) { return settle("reports", item, one); }); });
              }, Promise.resolve());
            }
            if (a.status !== 200) { throw new Error(String(a.status)); }
            var byId = {};
            a.body.forEach(function (each) { byId[each.client_id] = each; });
            return Promise.all(batch.map(function (item) {
              var each = byId[item.client_id];
              if (!each || (each.status !== 200 && each.status !== 201 && REFUSES_ITEM.indexOf(each.status) === -1)) { return null; }  // waits
              return settle("reports", item, { status: each.status, body: each });
            }));
          });
        });
      }, Promise.resolve());
    });
  }
  function sendIncidents() {
    return all("incidents").then(function (items) {
      return items.filter(waiting).reduce(function (chain, item) {
        return chain.then(function () {
          return postJson("/api/v1/reports/incidents", {
            client_id: item.client_id, station_id: item.station_id, category: item.category, severity: item.severity, occurred_at: item.occurred_at, description: item.description
          }).then(function (a) { return settle("incidents", item, a); });
        });
      }, Promise.resolve());
    });
  }
  // Each photo of a report or incident already stored. A refused photo stays on the phone with its
  // reason until the PTPS replaces or discards it.
  function sendPhotos() {
    return Promise.all([all("reports"), all("incidents"), all("photos")]).then(function (stored) {
      var sent = {};
      stored[0].concat(stored[1]).forEach(function (i) { if (i.state === "sent") { sent[i.client_id] = true; } });
      return stored[2].filter(function (p) { return p.state !== "refused" && sent[p.report_id || p.incident_id]; }).reduce(function (chain, photo) {
        return chain.then(function () {
          var body = new FormData();
          body.append("client_id", photo.client_id);
          body.append(photo.report_id ? "report_id" : "incident_id", photo.report_id || photo.incident_id);
          body.append("code", photo.code);
          body.append("file", photo.blob, photo.name);
          return fetch("/api/v1/reports/attachments", { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() }, body: body }).then(answer).then(function (a) {
            if (signedOut(a)) { throw new SignedOut(); }
            if (a.status === 200 || a.status === 201) { return drop("photos", photo.client_id); }
            if (REFUSES_PHOTO.indexOf(a.status) !== -1) {
              photo.state = "refused"; photo.error = reason(a);
              return put("photos", photo);
            }
            throw new Error(String(a.status));
          });
        });
      }, Promise.resolve());
    });
  }

  function askToSignIn(ask) { signIn.hidden = !ask; }

  var send = Q.sender({
    work: function () { return sendReports().then(sendIncidents).then(sendPhotos); },
    status: function (online) { netStatus.textContent = online ? labels.labelOnline : labels.labelOffline; },
    askToSignIn: askToSignIn,
    after: function () { render(); }
  });

  function thumbnail(photo) {
    var img = document.createElement("img");
    img.alt = photo.name; img.width = 64; img.className = "thumb";
    if (thumbs[photo.client_id]) { img.src = thumbs[photo.client_id]; return img; }
    var reader = new FileReader();
    reader.onload = function () { thumbs[photo.client_id] = reader.result; img.src = reader.result; };
    reader.readAsDataURL(photo.blob);
    return img;
  }
  function refusedPhoto(photo) {
    var box = document.createElement("div");
    box.className = "refused-photo message message-error";
    box.dataset.testid = "refused-photo";
    box.appendChild(thumbnail(photo));
    var note = document.createElement("span");
    // The server's reason usually names the file already (core/uploads.py); name it once.
    var named = photo.error && photo.error.indexOf(photo.name) !== -1;
    note.textContent = " " + labels.labelPhotoRefused + " " + photo.error + (named ? " " : " (" + photo.name + ") ");
    box.appendChild(note);
    var replace = document.createElement("label"), input = document.createElement("input");
    replace.className = "button button-secondary";
    replace.textContent = labels.labelReplace;
    input.type = "file"; input.accept = "image/jpeg,image/png"; input.hidden = true; input.dataset.testid = "replace-photo";
    input.addEventListener("change", function () {
      if (!input.files.length) { return; }
      var file = input.files[0];
      // A new id: what the server refused under the old one is no part of the new photo.
      var fresh = { client_id: crypto.randomUUID(), report_id: photo.report_id, incident_id: photo.incident_id, code: photo.code, blob: file, name: file.name, state: "waiting" };
      put("photos", fresh).then(function () { return drop("photos", photo.client_id); }).then(function () { render(); send(); });
    });
    replace.appendChild(input);
    box.appendChild(replace);
    var discard = document.createElement("button");
    discard.type = "button"; discard.className = "linkbutton"; discard.textContent = labels.labelDiscard; discard.dataset.testid = "discard-photo";
    discard.addEventListener("click", function () { drop("photos", photo.client_id).then(render); });
    box.appendChild(document.createTextNode(" "));
    box.appendChild(discard);
    return box;
  }

  function render() {
    return Promise.all([all("reports"), all("incidents"), all("photos")]).then(function (stored) {
      var photosOf = {}, entries = [];
      stored[2].forEach(function (p) { var owner = p.report_id || p.incident_id; (photosOf[owner] = photosOf[owner] || []).push(p); });
      stored[0].forEach(function (i) { entries.push({ item: i, what: i.stage_label, at: i.observed_at, kind: "report" }); });
      stored[1].forEach(function (i) { entries.push({ item: i, what: labels.labelIncident + ": " + i.category_label, at: i.occurred_at, kind: "incident" }); });
      entries.sort(function (a, b) { return a.item.saved_at < b.item.saved_at ? 1 : -1; });
      queueList.textContent = "";
      entries.forEach(function (entry) {
        var item = entry.item, own = photosOf[item.client_id] || [], li = document.createElement("li");
        var queuedPhotos = own.filter(function (p) { return p.state !== "refused"; }).length;
        var state = waiting(item) ? "waiting" : item.state;
        li.dataset.state = state; li.dataset.kind = entry.kind;
        var status = state === "sent" ? labels.labelSent + (item.number ? " " + item.number : "") : state === "waiting" ? labels.labelWaiting : item.error;
        li.appendChild(document.createTextNode(entry.what + " · " + localTime(entry.at) + " · " + status +
          (queuedPhotos ? " · " + queuedPhotos + " " + labels.labelPhotos : "")));
        own.filter(function (p) { return p.state === "refused"; }).forEach(function (p) { li.appendChild(refusedPhoto(p)); });
        queueList.appendChild(li);
      });
    });
  }

  // The confirmation is put where the PTPS is looking, below the button just pressed.
  function confirmSaved(box, what, iso) {
    box.textContent = labels.labelSaved.replace("{time}", localTime(iso)).replace("{what}", what);
    box.hidden = false;
    box.scrollIntoView({ block: "center" });
  }

  function showQuestions() {
    fields.textContent = "";
    questions.filter(function (q) { return q.stage === stageSelect.value; }).forEach(function (q) {
      var p = document.createElement("p");
      var label = document.createElement("label");
      label.textContent = q.text + (q.required ? " *" : "");
      var input;
      if (q.kind === "ya_tidak") {
        input = document.createElement("select");
        [["", "—"], ["ya", labels.labelYes], ["tidak", labels.labelNo]].forEach(function (o) {
          var option = document.createElement("option"); option.value = o[0]; option.textContent = o[1]; input.appendChild(option);
        });
      } else if (q.kind === "foto") {
        input = document.createElement("input");
        input.type = "file"; input.accept = "image/jpeg,image/png";
      } else {
        input = document.createElement("input");
        input.type = q.kind === "angka" ? "number" : "text";
        if (q.kind === "angka") { input.min = "0"; }
      }
      input.name = q.code; input.dataset.kind = q.kind; input.required = q.required && q.kind !== "foto"; input.id = "q-" + q.code;
      label.htmlFor = input.id;
      p.appendChild(label); p.appendChild(input); fields.appendChild(p);
    });
  }

  function savePhotos(files, owner) {
    return Promise.all(files.map(function (entry) {
      return put("photos", Object.assign({ client_id: crypto.randomUUID(), code: entry[0], blob: entry[1], name: entry[1].name, state: "waiting" }, owner));
    }));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!post) { return; }
    var answers = {}, files = [], stage = stageSelect.value;
    fields.querySelectorAll("[name]").forEach(function (input) {
      if (input.type === "file") {
        Array.prototype.forEach.call(input.files, function (f) { files.push([input.name, f]); });
        return;
      }
      if (input.value === "") { return; }
      answers[input.name] = input.dataset.kind === "ya_tidak" ? input.value === "ya" : input.dataset.kind === "angka" ? parseInt(input.value, 10) : input.value;
    });
    var item = {
      client_id: crypto.randomUUID(), station_id: post.station_id, stage: stage,
      stage_label: stageSelect.options[stageSelect.selectedIndex].text, answers: answers,
      narrative: form.elements.narrative.value, observed_at: new Date().toISOString(), saved_at: Date.now(), state: "waiting"
    };
    Array.prototype.forEach.call(form.elements.photos.files, function (f) { files.push(["lampiran", f]); });
    savePhotos(files, { report_id: item.client_id }).then(function () { return put("reports", item); }).then(function () {
      form.reset();
      stageSelect.value = stage;  // the PTPS stays at the stage it is reporting
      showQuestions();
      confirmSaved(document.getElementById("saved"), item.stage_label, item.observed_at);
      render(); send();
    });
  });

  incidentForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!post) { return; }
    var category = incidentForm.elements.category;
    var item = {
      client_id: crypto.randomUUID(), station_id: post.station_id, category: category.value, category_label: category.options[category.selectedIndex].text,
      severity: incidentForm.elements.severity.value, description: incidentForm.elements.description.value,
      occurred_at: new Date().toISOString(), saved_at: Date.now(), state: "waiting"
    };
    var files = Array.prototype.map.call(incidentForm.elements.photos.files, function (f) { return ["lampiran", f]; });
    savePhotos(files, { incident_id: item.client_id }).then(function () { return put("incidents", item); }).then(function () {
      incidentForm.reset();
      confirmSaved(document.getElementById("incident-saved"), labels.labelIncident + ": " + item.category_label, item.occurred_at);
      render(); send();
    });
  });

  stageSelect.addEventListener("change", showQuestions);

  // The post and the checklists are kept for offline use.
  function load(url, key) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (r.status === 401) { askToSignIn(true); }
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) { localStorage.setItem(key, JSON.stringify(data)); return data; }).catch(function () {
      var saved = localStorage.getItem(key);
      if (!saved) { throw new Error("offline"); }
      return JSON.parse(saved);
    });
  }
  load("/api/v1/reports/me", "sinergi-post").then(function (p) {
    post = p;
    document.getElementById("station").textContent = p.station;
    return load("/api/v1/reports/questions?election=" + encodeURIComponent(p.election), "sinergi-questions");
  }).then(function (q) {
    questions = q; showQuestions(); root.dataset.ready = "1"; render(); send();
  }).catch(function () { netStatus.textContent = labels.labelNoPost; });

  if ("serviceWorker" in navigator) { navigator.serviceWorker.register(labels.sw, { scope: labels.scope }); }
})();
