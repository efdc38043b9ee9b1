// Web Push for Sinergi's notifications (docs/notifications.md), on desk pages (templates/base.html)
// and in the field app (one include). The including <script> carries data-key (the VAPID public
// key), data-csrf, data-subscribe (the endpoint storing a subscription) and data-worker (the
// service worker, scope /notifikasi/). A button [data-push-subscribe] asks for permission (browsers
// want a tap for that); without one on the page, a small button is added at the end of <main>.
// Already subscribed: the subscription is sent again quietly (it may have moved to this account).
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !("PushManager" in window) || !window.Notification) return;
  const key = script.dataset.key, csrf = script.dataset.csrf, subscribeUrl = script.dataset.subscribe, workerUrl = script.dataset.worker;
  if (!key || !subscribeUrl || !workerUrl) return;

  function keyBytes(base64url) {
    const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(padded);
    return Uint8Array.from(raw, (ch) => ch.charCodeAt(0));
  }

  function send(subscription) {
    return fetch(subscribeUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(subscription.toJSON()),
    });
  }

  async function registration() {
    return navigator.serviceWorker.register(workerUrl, {scope: new URL(".", new URL(workerUrl, location.href)).pathname});
  }

  async function subscribe(button) {
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") { if (button) button.hidden = true; return; }
      const reg = await registration();
      const subscription = (await reg.pushManager.getSubscription()) || (await reg.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: keyBytes(key)}));
      const answer = await send(subscription);
      if (button && answer.ok) button.hidden = true;
    } catch (error) {
      if (button) button.disabled = true;
    }
  }

  function button() {
    let found = document.querySelector("[data-push-subscribe]");
    if (!found) {
      const main = document.querySelector("main");
      if (!main) return null;
      const slot = document.createElement("p");
      found = document.createElement("button");
      found.type = "button";
      found.className = "button button-secondary";
      found.dataset.pushSubscribe = "";
      found.hidden = true;
      found.textContent = document.documentElement.lang === "en" ? "Receive notifications on this device" : "Terima pemberitahuan di perangkat ini";
      slot.appendChild(found);
      main.appendChild(slot);
    }
    return found;
  }

  document.addEventListener("DOMContentLoaded", async () => {
    if (Notification.permission === "denied") return;
    if (Notification.permission === "granted") {
      try {
        const reg = await registration();
        const subscription = await reg.pushManager.getSubscription();
        if (subscription) { await send(subscription); return; }
      } catch (error) { /* fall through to the button */ }
    }
    const target = button();
    if (!target) return;
    target.hidden = false;
    target.addEventListener("click", () => subscribe(target));
  });
})();
