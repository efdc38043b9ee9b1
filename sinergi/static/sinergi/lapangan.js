// The PTPS field app: Form A offline. Reports wait in IndexedDB with an id made on the phone and
// are sent when a connection appears, with backoff and jitter; the server stores each id once.
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
      var open = indexedDB.open("sinergi-lapangan", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("reports", { keyPath: "client_id" }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }
  function store(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction("reports", mode);
        var result = work(tx.objectStore("reports"));
        tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function all() { return store("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return store("readwrite", function (s) { s.put(item); }); }

  function render() {
    all().then(function (items) {
      queueList.textContent = "";
      items.sort(function (a, b) { return a.saved_at < b.saved_at ? 1 : -1; });
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.dataset.state = item.state;
        li.textContent = item.stage_label + " · " + item.observed_at.slice(11, 16) + " · " +
          (item.state === "sent" ? root.dataset.labelSent + " " + item.number : (item.error || root.dataset.labelWaiting));
        queueList.appendChild(li);
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
      return waiting.reduce(function (chain, item) {
        return chain.then(function () {
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
        });
      }, Promise.resolve()).then(function () { retryDelay = 2000; });
    }).catch(function () {
      // Server or network trouble: try again later, waiting longer each time, never in step with the others.
      retryDelay = Math.min(retryDelay * 2, 300000);
      timer = setTimeout(send, retryDelay / 2 + Math.random() * retryDelay / 2);
    }).then(render);
  }

  function showQuestions() {
    fields.textContent = "";
    questions.filter(function (q) { return q.stage === stageSelect.value && q.kind !== "foto"; }).forEach(function (q) {
      var p = document.createElement("p");
      var label = document.createElement("label");
      label.textContent = q.text + (q.required ? " *" : "");
      var input;
      if (q.kind === "ya_tidak") {
        input = document.createElement("select");
        [["", "—"], ["ya", root.dataset.labelYes], ["tidak", root.dataset.labelNo]].forEach(function (o) {
          var option = document.createElement("option"); option.value = o[0]; option.textContent = o[1]; input.appendChild(option);
        });
      } else {
        input = document.createElement("input");
        input.type = q.kind === "angka" ? "number" : "text";
        if (q.kind === "angka") { input.min = "0"; }
      }
      input.name = q.code; input.dataset.kind = q.kind; input.required = q.required; input.id = "q-" + q.code;
      label.htmlFor = input.id;
      p.appendChild(label); p.appendChild(input); fields.appendChild(p);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = {};
    fields.querySelectorAll("[name]").forEach(function (input) {
      if (input.value === "") { return; }
      answers[input.name] = input.dataset.kind === "ya_tidak" ? input.value === "ya" : input.dataset.kind === "angka" ? parseInt(input.value, 10) : input.value;
    });
    var item = {
      client_id: crypto.randomUUID(), station_id: post.station_id, stage: stageSelect.value,
      stage_label: stageSelect.options[stageSelect.selectedIndex].text, answers: answers,
      narrative: form.elements.narrative.value, observed_at: new Date().toISOString(), saved_at: Date.now(), state: "waiting"
    };
    put(item).then(function () { form.reset(); showQuestions(); render(); send(); });
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
