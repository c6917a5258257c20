// Copy buttons: <button data-copy-target="input-id" data-copied-text="Copied" hidden>.
// The button is shown only where the script runs (no script: the address is selectable as text);
// no inline script, so a Content-Security-Policy of script-src 'self' allows it.
(function () {
  "use strict";

  function selectAndCopyFallback(input) {
    input.focus();
    input.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function report(button, ok) {
    var status = document.querySelector("[data-copy-status]");
    var text = ok ? button.getAttribute("data-copied-text") : "";
    if (status) {
      status.textContent = text;
    }
    if (ok) {
      button.classList.add("btn-success");
      button.classList.remove("btn-outline-secondary");
    }
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(
          function () {
            report(button, true);
          },
          function () {
            report(button, selectAndCopyFallback(input));
          }
        );
      } else {
        report(button, selectAndCopyFallback(input));
      }
    });
  });
})();
