// The field sign-in page (/lapangan/masuk/): a QR code or SMS link carries the code after '#'
// ("#kode=7KQ2M-XH9TA"), which browsers never send to a server. Fill it in, then drop it from
// the address bar and history so that it is not left on the phone.
document.addEventListener("DOMContentLoaded", () => {
  const match = /[#&]kode=([^&]+)/.exec(window.location.hash);
  const field = document.getElementById("id_kode");
  if (!match || !field) return;
  field.value = decodeURIComponent(match[1]);
  history.replaceState(null, "", window.location.pathname + window.location.search);
});
