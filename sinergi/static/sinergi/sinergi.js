// Small behaviours shared by every page. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // The election picker in the header navigates without a submit button.
  document.querySelectorAll("[data-election-picker] select").forEach(function (select) {
    select.addEventListener("change", function () {
      window.location.href = select.dataset.base + encodeURIComponent(select.value) + "/";
    });
  });
})();
