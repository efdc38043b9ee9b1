// Keeps a field app's shell on the phone so that it opens without a connection (the PTPS's
// Form A app; the police's post check-in, guard.post_views.field_app_worker, with its own cache).
var PREFIX = "{{ cache_prefix|default:'sinergi-lapangan' }}-";
var CACHE = PREFIX + "{{ version }}";
var SHELL = ["{{ app_url }}", "{{ queue_url }}", "{{ script_url }}", "{{ css_url }}", "{{ manifest_url }}"].filter(Boolean);
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }));
});
self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.pathname.indexOf("/api/") === 0) { return; }  // reports go to the network (the app queues them)
  event.respondWith(fetch(event.request).then(function (response) {
    if (SHELL.indexOf(url.pathname) !== -1 && response.ok && !response.redirected) {  // never the sign-in page in the shell's place
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(event.request, copy); });
    }
    return response;
  }).catch(function () { return caches.match(event.request); }));
});
