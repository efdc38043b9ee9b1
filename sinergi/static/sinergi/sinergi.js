// Small behaviours shared by every page. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // The election picker in the header navigates without a submit button.
  document.querySelectorAll("[data-election-picker] select").forEach(function (select) {
    select.addEventListener("change", function () {
      window.location.href = select.dataset.base + encodeURIComponent(select.value) + "/";
    });
  });
  // On a narrow screen the header's menu folds behind its button, so that the page starts near the
  // top; the fold is only applied once this script runs (without it the menu stays open).
  document.querySelectorAll("[data-topbar]").forEach(function (bar) {
    var button = bar.querySelector("[data-nav-toggle]");
    if (!button) { return; }
    bar.classList.add("topbar-foldable");
    button.addEventListener("click", function () {
      var open = bar.classList.toggle("topbar-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
  // A form whose work takes a while says so when submitted and cannot be sent twice. The pressed
  // button's name and value are carried in a hidden field: a disabled button is left out of what
  // the form sends, and the view dispatches on it (found when re-planning moved to a task).
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var pressed = event.submitter;
      if (pressed && pressed.name) {
        var carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = pressed.name;
        carried.value = pressed.value;
        form.appendChild(carried);
      }
      var note = document.createElement("p");
      note.className = "busy";
      note.setAttribute("role", "status");
      note.textContent = form.dataset.busy;
      form.appendChild(note);
      form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    });
  });
})();
