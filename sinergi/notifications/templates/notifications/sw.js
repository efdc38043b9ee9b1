// Sinergi's notification service worker (scope /notifikasi/): shows a pushed notification and
// opens its page when tapped. The push carries {title, body, url, tag} (notifications/channels.py).
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {title: event.data ? event.data.text() : "Sinergi"}; }
  event.waitUntil(self.registration.showNotification(data.title || "Sinergi", {
    body: data.body || "", tag: data.tag || undefined, data: {url: data.url || "/notifikasi/"},
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || "/notifikasi/", self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(self.clients.openWindow(url.href));
});
