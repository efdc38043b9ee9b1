// The PTPS field app: Form A offline. Reports wait in IndexedDB with an id made on the phone and
// are sent when a connection appears, with backoff and jitter; the server stores each id once.
// Photos (the C.Hasil copy, evidence) wait in their own store and follow once their report is in:
// a slow photo never holds back a report.
(function () {
  "use strict";
  var root = document.getElementById("field-app");
  var csrf = root.dataset.csrf;
  var queueList = document.getElementById("queue");
  var stageSelect = document.getElementById("stage");
  var form = document.getElementById("report");
  var fields = document.getElementById("questions");
  var netStatus = document.getElementById("net");
  var post = null, questions = [], retryDelay = 2000, timer = null;

  function db() {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("sinergi-lapangan", 2);
      open.onupgradeneeded = function () {
        ["reports", "photos"].forEach(function (name) {
          if (!open.result.objectStoreNames.contains(name)) { open.result.createObjectStore(name, { keyPath: "client_id" }); }
        });
      };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }
  function store(mode, work, name) {
    name = name || "reports";
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function all() { return store("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return store("readwrite", function (s) { s.put(item); }); }
  function photos() { return store("readonly", function (s) { return s.getAll(); }, "photos"); }
  function putPhoto(photo) { return store("readwrite", function (s) { s.put(photo); }, "photos"); }
  function dropPhoto(id) { return store("readwrite", function (s) { s.delete(id); }, "photos"); }

  function render() {
    Promise.all([all(), photos()]).then(function (stored) {
      var items = stored[0], waitingPhotos = {};
      stored[1].forEach(function (p) { waitingPhotos[p.report_id] = (waitingPhotos[p.report_id] || 0) + 1; });
      queueList.textContent = "";
      items.sort(function (a, b) { return a.saved_at < b.saved_at ? 1 : -1; });
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.dataset.state = item.state;
        li.textContent = item.stage_label + " · " + item.observed_at.slice(11, 16) + " · " +
          (item.state === "sent" ? root.dataset.labelSent + " " + item.number : (item.error || root.dataset.labelWaiting)) +
          (waitingPhotos[item.client_id] ? " · " + waitingPhotos[item.client_id] + " " + root.dataset.labelPhotos : "");
        queueList.appendChild(li);
      });
    });
  }

  function sendOne(item) {
    return fetch("/api/v1/reports", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ client_id: item.client_id, station_id: item.station_id, stage: item.stage, answers: item.answers, narrative: item.narrative, observed_at: item.observed_at })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) { item.state = "sent"; item.number = body.number; item.error = ""; }
        else if (response.status >= 400 && response.status < 500) { item.state = "refused"; item.error = [].concat(body.detail).join(" "); }
        else { throw new Error(String(response.status)); }
        return put(item);
      });
    });
  }

  function send() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!navigator.onLine) {
      netStatus.textContent = root.dataset.labelOffline;
      timer = setTimeout(send, 5000);  // the "online" event may not come on every phone
      return;
    }
    netStatus.textContent = root.dataset.labelOnline;
    all().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "waiting"; });
      // After a long spell offline the queue goes in batches of up to 100, one request each.
      var batches = [];
      for (var n = 0; n < waiting.length; n += 100) { batches.push(waiting.slice(n, n + 100)); }
      return batches.reduce(function (chain, batch) {
        return chain.then(function () {
          return fetch("/api/v1/reports/batch", {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
            body: JSON.stringify({ reports: batch.map(function (item) {
              return { client_id: item.client_id, station_id: item.station_id, stage: item.stage, answers: item.answers, narrative: item.narrative, observed_at: item.observed_at };
            }) })
          }).then(function (response) {
            if (response.status >= 400 && response.status < 500) {
              // The batch as a whole was refused (one malformed report): each on its own, so that only that one is.
              return batch.reduce(function (c, item) { return c.then(function () { return sendOne(item); }); }, Promise.resolve());
            }
            if (!response.ok) { throw new Error(String(response.status)); }
            return response.json().then(function (answers) {
              var byId = {};
              answers.forEach(function (a) { byId[a.client_id] = a; });
              return Promise.all(batch.map(function (item) {
                var answer = byId[item.client_id];
                if (!answer || answer.status >= 500) { return null; }  // stays waiting
                if (answer.status === 200 || answer.status === 201) { item.state = "sent"; item.number = answer.number; item.error = ""; }
                else { item.state = "refused"; item.error = [].concat(answer.detail).join(" "); }
                return put(item);
              }));
            });
          });
        });
      }, Promise.resolve()).then(sendPhotos).then(function () { retryDelay = 2000; });
    }).catch(function () {
      // Server or network trouble: try again later, waiting longer each time, never in step with the others.
      retryDelay = Math.min(retryDelay * 2, 300000);
      timer = setTimeout(send, retryDelay / 2 + Math.random() * retryDelay / 2);
    }).then(render);
  }

  // Each photo of a report already stored; a refused photo is dropped with its reason shown.
  function sendPhotos() {
    return Promise.all([all(), photos()]).then(function (stored) {
      var sent = {};
      stored[0].forEach(function (i) { if (i.state === "sent") { sent[i.client_id] = i; } });
      return stored[1].filter(function (p) { return sent[p.report_id]; }).reduce(function (chain, photo) {
        return chain.then(function () {
          var body = new FormData();
          body.append("client_id", photo.client_id); body.append("report_id", photo.report_id); body.append("code", photo.code);
          body.append("file", photo.blob, photo.name);
          return fetch("/api/v1/reports/attachments", { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf }, body: body }).then(function (response) {
            if (response.ok) { return dropPhoto(photo.client_id); }
            if (response.status >= 400 && response.status < 500) {
              return response.json().then(function (b) {
                var report = sent[photo.report_id];
                report.error = root.dataset.labelPhotoRefused + " " + [].concat(b.detail).join(" ");
                return put(report).then(function () { return dropPhoto(photo.client_id); });
              });
            }
            throw new Error(String(response.status));
          });
        });
      }, Promise.resolve());
    });
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
        [["", "—"], ["ya", root.dataset.labelYes], ["tidak", root.dataset.labelNo]].forEach(function (o) {
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

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = {}, files = [];
    fields.querySelectorAll("[name]").forEach(function (input) {
      if (input.type === "file") {
        Array.prototype.forEach.call(input.files, function (f) { files.push([input.name, f]); });
        return;
      }
      if (input.value === "") { return; }
      answers[input.name] = input.dataset.kind === "ya_tidak" ? input.value === "ya" : input.dataset.kind === "angka" ? parseInt(input.value, 10) : input.value;
    });
    var item = {
      client_id: crypto.randomUUID(), station_id: post.station_id, stage: stageSelect.value,
      stage_label: stageSelect.options[stageSelect.selectedIndex].text, answers: answers,
      narrative: form.elements.narrative.value, observed_at: new Date().toISOString(), saved_at: Date.now(), state: "waiting"
    };
    Array.prototype.forEach.call(form.elements.photos.files, function (f) { files.push(["lampiran", f]); });
    var saving = files.map(function (entry) {
      return putPhoto({ client_id: crypto.randomUUID(), report_id: item.client_id, code: entry[0], blob: entry[1], name: entry[1].name });
    });
    Promise.all(saving).then(function () { return put(item); }).then(function () { form.reset(); showQuestions(); render(); send(); });
  });
  stageSelect.addEventListener("change", showQuestions);
  window.addEventListener("online", send);
  window.addEventListener("offline", function () { netStatus.textContent = root.dataset.labelOffline; });

  // The post and the checklists are kept for offline use.
  function load(url, key) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
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
  }).catch(function () { netStatus.textContent = root.dataset.labelNoPost; });

  if ("serviceWorker" in navigator) { navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }); }
})();
