// The offline queue the field apps share (the PTPS's Form A app, lapangan.js; the police's post
// check-in, pos-lapangan.js): items wait in IndexedDB under an id made on the phone and are sent
// when a connection appears, with backoff and jitter; the server stores each id once.
// Only a refusal of the item itself ends its wait (docs/supervisors.md): 400, 403 (not csrf), 404,
// 409 and 422. 401, or 403 with code "csrf_failed", means "sign in again" and leaves every item
// waiting; any other answer (5xx, no network) is tried again later.
(function () {
  "use strict";
  var REFUSES_ITEM = [400, 403, 404, 409, 422];

  // An IndexedDB database of object stores keyed by client_id: all, put, drop.
  function open(name, version, stores) {
    function db() {
      return new Promise(function (resolve, reject) {
        var request = indexedDB.open(name, version);
        request.onupgradeneeded = function () {
          stores.forEach(function (store) {
            if (!request.result.objectStoreNames.contains(store)) { request.result.createObjectStore(store, { keyPath: "client_id" }); }
          });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    function store(storeName, mode, work) {
      return db().then(function (d) {
        return new Promise(function (resolve, reject) {
          var tx = d.transaction(storeName, mode);
          var result = work(tx.objectStore(storeName));
          tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
          tx.onerror = function () { reject(tx.error); };
        });
      });
    }
    return {
      all: function (storeName) { return store(storeName, "readonly", function (s) { return s.getAll(); }); },
      put: function (storeName, item) { return store(storeName, "readwrite", function (s) { s.put(item); }); },
      drop: function (storeName, id) { return store(storeName, "readwrite", function (s) { s.delete(id); }); }
    };
  }

  // Earlier versions marked an item refused when the session had expired; those were never
  // refused by the server and wait again.
  function waiting(item) {
    return item.state === "waiting" || (item.state === "refused" && !item.status && /^(CSRF check Failed|Unauthorized)$/.test(item.error || ""));
  }

  function csrfToken(fallback) {
    // The cookie, not the page: a sign-in (in this tab or another) gives a new token.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : fallback;
  }
  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (body) { return { status: response.status, body: body }; });
  }
  function postJson(url, body, csrfFallback) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(csrfFallback) }, body: JSON.stringify(body)
    }).then(answer);
  }
  function signedOut(a) { return a.status === 401 || (a.status === 403 && a.body && a.body.code === "csrf_failed"); }
  function SignedOut() { this.signedOut = true; }
  function reason(a, tooLarge) {
    if (a.status === 413 && tooLarge) { return tooLarge; }
    var detail = a.body && a.body.detail;
    if (!detail) { return "HTTP " + a.status; }
    return [].concat(detail).map(function (d) { return typeof d === "string" ? d : (d.msg || JSON.stringify(d)); }).join(" ");
  }
  // Stores what the server said of one item in `storeName` of `queue`; throws to stop and try later.
  function settle(queue, storeName, item, a, tooLarge) {
    if (signedOut(a)) { throw new SignedOut(); }
    if (a.status === 200 || a.status === 201) { item.state = "sent"; item.number = a.body.number || ""; item.error = ""; }
    else if (REFUSES_ITEM.indexOf(a.status) !== -1) { item.state = "refused"; item.status = a.status; item.error = reason(a, tooLarge); }
    else { throw new Error(String(a.status)); }
    return queue.put(storeName, item);
  }

  // The resend loop: `work()` sends what waits (a promise); `status(online)` shows the connection;
  // `askToSignIn(ask)` shows or hides the sign-in prompt; `after()` runs after every round.
  // Returns send(), to call when something was queued; it also runs on "online" and when the page
  // comes back into view (back from signing in elsewhere).
  function sender(options) {
    var retryDelay = 2000, timer = null, sending = false, again = false;
    function send() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (sending) { again = true; return; }
      if (!navigator.onLine) {
        options.status(false);
        timer = setTimeout(send, 5000);  // the "online" event may not come on every phone
        return;
      }
      sending = true;
      options.status(true);
      options.work().then(function () {
        retryDelay = 2000;
        options.askToSignIn(false);
      }).catch(function (error) {
        if (error && error.signedOut) {
          // Nothing is dropped: everything waits for the user to sign in (here or in another tab).
          options.askToSignIn(true);
          timer = setTimeout(send, 30000);
          return;
        }
        // Server or network trouble: try again later, waiting longer each time, never in step with the others.
        retryDelay = Math.min(retryDelay * 2, 300000);
        timer = setTimeout(send, retryDelay / 2 + Math.random() * retryDelay / 2);
      }).then(function () {
        sending = false;
        options.after();
        if (again) { again = false; send(); }
      });
    }
    window.addEventListener("online", send);
    window.addEventListener("offline", function () { options.status(false); });
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { send(); } });
    return send;
  }

  window.SinergiFieldQueue = {
    REFUSES_ITEM: REFUSES_ITEM, open: open, waiting: waiting, csrfToken: csrfToken, answer: answer, postJson: postJson,
    signedOut: signedOut, SignedOut: SignedOut, reason: reason, settle: settle, sender: sender
  };

  // Broadcasts acknowledged from a field app's panel (notifications/_awaiting.html): the tap is
  // kept on the phone and sent when there is a connection, like a report; the server records an
  // acknowledgement once however often it arrives. Without this script the panel's forms post.
  function acknowledgements() {
    var panel = document.querySelector("[data-acknowledge-queue]");
    if (!panel || !window.indexedDB) { return; }
    var store = open("sinergi-siaran", 1, ["acks"]);
    var signIn = document.getElementById("signin");
    function mark(item) {
      var row = panel.querySelector('[data-notification="' + item.notification_id + '"]');
      if (!row) { return item.state === "sent" ? store.drop("acks", item.client_id) : null; }  // no longer listed: done
      var state = waiting(item) ? "waiting" : item.state;
      row.dataset.state = state;
      var status = row.querySelector("[data-ack-status]");
      status.textContent = state === "sent" ? panel.dataset.labelSent : state === "waiting" ? panel.dataset.labelWaiting : item.error;
      status.hidden = false;
      row.querySelector("button").disabled = state !== "refused";
      return null;
    }
    function show() {
      return store.all("acks").then(function (items) { return Promise.all(items.map(mark)); });
    }
    function work() {
      return store.all("acks").then(function (items) {
        return items.filter(waiting).reduce(function (chain, item) {
          return chain.then(function () {
            return postJson("/api/v1/notifications/" + item.notification_id + "/acknowledge", {}, panel.dataset.csrf)
              .then(function (a) { return settle(store, "acks", item, a); });
          });
        }, Promise.resolve());
      });
    }
    var send = sender({
      work: work,
      status: function () {},
      askToSignIn: function (ask) { if (signIn) { signIn.hidden = !ask; } },
      after: show
    });
    panel.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.dataset || !form.dataset.notification) { return; }
      event.preventDefault();
      var id = form.dataset.notification;
      store.put("acks", { client_id: "siaran-" + id, notification_id: id, state: "waiting", saved_at: new Date().toISOString() })
        .then(show).then(send);
    });
    show().then(send);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", acknowledgements); } else { acknowledgements(); }
})();
