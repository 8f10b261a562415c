// A refused form: move the keyboard focus to its error summary, so a screen reader reads what
// to fix and Tab goes on to the first field. The summary also carries `autofocus` and is the
// first thing in <main>, so without this script it is still reached and announced.
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary || summary.contains(document.activeElement)) {
    return;
  }
  summary.setAttribute("tabindex", "-1");
  summary.focus();

  // A link in the summary puts the focus in its field, not only the field into view.
  summary.querySelectorAll("a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      var target = field.matches("fieldset") ? field.querySelector("input, select, textarea") : field;
      (target || field).focus();
      field.scrollIntoView({ block: "center" });
    });
  });
})();
