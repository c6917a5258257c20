// Page behaviour declared by data attributes, so that no page needs inline scripts or event
// handlers (the Content-Security-Policy allows scripts from our own static files only).
//   data-confirm="Question?"  on a form or a submit button: ask before sending
//   data-autosubmit           on a select: send its form when the choice changes
//   data-print                on a button: open the print dialog
//   data-check-all="name"     on a checkbox: tick or clear every checkbox named `name` of its form
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

  function boxesOf(checkAll) {
    return checkAll.form.querySelectorAll('input[type="checkbox"][name="' + checkAll.dataset.checkAll + '"]');
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.submit();
    }
    var target = event.target;
    if (target.matches("input[data-check-all]")) {
      boxesOf(target).forEach(function (box) {
        box.checked = target.checked;
      });
    } else if (target.matches('input[type="checkbox"]') && target.form) {
      // The «all» box follows the boxes it rules.
      target.form.querySelectorAll("input[data-check-all]").forEach(function (checkAll) {
        if (checkAll.dataset.checkAll === target.name) {
          checkAll.checked = Array.prototype.every.call(boxesOf(checkAll), function (box) {
            return box.checked;
          });
        }
      });
    }
  });
})();
