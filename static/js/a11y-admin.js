// Accessible names and states that the admin's widgets leave out (WCAG 2.2: 1.3.1, 4.1.2).
// The split date/time inputs, the select2 search box and the rich-text editor get a name from
// their row's label; select2's mouse-only "clear" cross, drawn inside a list, is hidden from
// assistive technology (each choice keeps its own remove button and Backspace clears); the
// editor's greyed-out toolbar buttons say they are unavailable; links and buttons that open a
// new tab say so. Widgets drawn later (inlines,
// select2 redrawing its list) are fixed as they appear.
(function () {
  "use strict";

  var counter = 0;
  // "(opens in a new tab)" in the interface's language, from templates/admin/base_site.html.
  var newTab = document.currentScript ? document.currentScript.dataset.newTab : "";

  function rowLabel(element) {
    var row = element.closest(".form-row, .fieldBox, td, .form-group");
    return row ? row.querySelector("label") : null;
  }

  function labelId(label) {
    if (!label.id) {
      counter += 1;
      label.id = "a11y-label-" + counter;
    }
    return label.id;
  }

  function textBefore(input) {
    var node = input.previousSibling;
    while (node && node.nodeType === Node.TEXT_NODE && !node.textContent.trim()) {
      node = node.previousSibling;
    }
    return node && node.nodeType === Node.TEXT_NODE ? node.textContent.trim() : "";
  }

  function nameFromRow(element) {
    var label = rowLabel(element);
    return label ? label.textContent.trim() : "";
  }

  function fix(root) {
    root.querySelectorAll("p.datetime input:not([aria-label])").forEach(function (input) {
      var name = [nameFromRow(input), textBefore(input)].filter(Boolean).join(" ");
      if (name) {
        input.setAttribute("aria-label", name);
      }
    });
    root.querySelectorAll(
      "[contenteditable='true'][role='textbox']:not([aria-label]):not([aria-labelledby])"
    ).forEach(function (editor) {
      var label = rowLabel(editor);
      if (label) {
        editor.setAttribute("aria-labelledby", labelId(label));
      }
    });
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (input) {
      var container = input.closest(".select2-container");
      var select = container && container.previousElementSibling;
      if (!select || select.tagName !== "SELECT") {
        // The open dropdown's search box is drawn at the end of the page.
        var open = document.querySelector("select + .select2-container--open");
        select = open ? open.previousElementSibling : null;
      }
      var name = select ? nameFromRow(select) : "";
      if (name) {
        input.setAttribute("aria-label", name);
      }
    });
    root.querySelectorAll(".select2-selection__rendered > span:not([aria-hidden])").forEach(
      function (span) {
        span.setAttribute("aria-hidden", "true");
      }
    );
    root.querySelectorAll(".prose-menubar__button").forEach(function (button) {
      var unavailable = button.classList.contains("disabled");
      if (unavailable && button.getAttribute("aria-disabled") !== "true") {
        button.setAttribute("aria-disabled", "true");
      } else if (!unavailable && button.hasAttribute("aria-disabled")) {
        button.removeAttribute("aria-disabled");
      }
    });
  }

  function sayNewTab(root) {
    if (!newTab) {
      return;
    }
    root
      .querySelectorAll("a[target='_blank']:not([data-new-tab]), [formtarget='_blank']:not([data-new-tab])")
      .forEach(function (control) {
        var note = document.createElement("span");
        note.className = "visually-hidden";
        note.textContent = " " + newTab;
        control.appendChild(note);
        control.setAttribute("data-new-tab", "");
      });
  }

  function start() {
    sayNewTab(document);
    fix(document);
    var pending = false;
    new MutationObserver(function () {
      if (pending) {
        return;
      }
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fix(document);
      });
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["class"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
