// Page behaviour declared by data attributes, so that no page needs inline scripts or event
// handlers (the Content-Security-Policy allows scripts from our own static files only).
//   data-confirm="Question?"  on a form or a submit button: ask before sending
//   data-autosubmit           on a select: send its form when the choice changes
//   data-print                on a button: open the print dialog
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm], input[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.submit();
    }
  });
})();
