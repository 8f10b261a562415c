// Findings on the inspection page: "Move up" and "Move down" buttons beside each finding,
// and dragging a finding by its heading, move it and renumber every "order" field, so the
// saved order is the order on screen. Without this script the order fields are typed in;
// nothing here is required.
(function () {
  "use strict";

  function group() {
    return document.getElementById("findings-group");
  }

  // Translated words come from the page (templates/admin/inspections/inspection/change_form.html).
  function labels() {
    var desk = document.getElementById("inspection-desk");
    return desk ? desk.dataset : {};
  }

  function rows(container) {
    return Array.from(container.querySelectorAll(".inline-related:not(.empty-form)")).filter(
      function (row) { return row.querySelector("input[name$='-order']"); }
    );
  }

  function renumber(container) {
    rows(container).forEach(function (row, index) {
      row.querySelector("input[name$='-order']").value = String((index + 1) * 10);
    });
  }

  function announce(container, text) {
    var status = container.querySelector(".order-status");
    if (status) { status.textContent = text; }
  }

  function move(row, step) {
    var container = group();
    var all = rows(container);
    var index = all.indexOf(row);
    var target = all[index + step];
    if (!target) { return; }
    if (step < 0) {
      target.parentNode.insertBefore(row, target);
    } else {
      target.parentNode.insertBefore(row, target.nextSibling);
    }
    renumber(container);
    var label = labels().movedLabel || "Moved to position %s.";
    announce(container, label.replace("%s", String(rows(container).indexOf(row) + 1)));
    row.querySelector(step < 0 ? ".order-up" : ".order-down").focus();
  }

  function button(text, className, row, step) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    b.addEventListener("click", function () { move(row, step); });
    return b;
  }

  var dragged = null;

  function draggable(row, heading) {
    heading.setAttribute("draggable", "true");
    heading.classList.add("order-handle");
    heading.addEventListener("dragstart", function (event) {
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
    });
    heading.addEventListener("dragend", function () { dragged = null; });
    row.addEventListener("dragover", function (event) {
      if (dragged && dragged !== row) { event.preventDefault(); }
    });
    row.addEventListener("drop", function (event) {
      if (!dragged || dragged === row) { return; }
      event.preventDefault();
      var all = rows(group());
      var before = all.indexOf(dragged) > all.indexOf(row);
      row.parentNode.insertBefore(dragged, before ? row : row.nextSibling);
      var moved = dragged;
      dragged = null;
      renumber(group());
      var label = labels().movedLabel || "Moved to position %s.";
      announce(group(), label.replace("%s", String(rows(group()).indexOf(moved) + 1)));
    });
  }

  function addButtons(row) {
    var heading = row.querySelector("h3");
    if (!heading || heading.querySelector(".order-buttons")) { return; }
    draggable(row, heading);
    var box = document.createElement("span");
    box.className = "order-buttons";
    box.appendChild(button(labels().upLabel || "Move up", "order-up", row, -1));
    box.appendChild(button(labels().downLabel || "Move down", "order-down", row, 1));
    heading.appendChild(box);
  }

  function start() {
    var container = group();
    if (!container) { return; }
    var status = document.createElement("p");
    status.className = "order-status visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    container.appendChild(status);
    rows(container).forEach(addButtons);
    // Rows added with "Add another Finding" get buttons too.
    document.addEventListener("formset:added", function (event) {
      if (event.detail && event.detail.formsetName === "findings") {
        rows(container).forEach(addButtons);
        renumber(container);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
