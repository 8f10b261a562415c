// The article editor's desk: the draft is autosaved after a few idle seconds (to the URL
// in #article-desk's data-autosave-url, CSRF token in a header), fields with a length
// limit count their characters, and Ctrl+S / Cmd+S saves and continues editing.
(function () {
  "use strict";

  function counters(form) {
    form.querySelectorAll("[data-counter][maxlength]").forEach(function (field) {
      var limit = parseInt(field.getAttribute("maxlength"), 10);
      var counter = document.createElement("span");
      counter.className = "char-counter";
      counter.id = field.id + "-counter";
      counter.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", counter);
      field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
      function update() {
        var used = field.value.length;
        counter.textContent = used + " / " + limit;
        counter.classList.toggle("char-counter--near", used >= limit * 0.9);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  function saveShortcut(form) {
    var button = form.querySelector("[name=_continue]") || form.querySelector("[name=_save]");
    if (!button) return;
    document.addEventListener(
      "keydown",
      function (event) {
        if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S")) {
          event.preventDefault();
          if (form.requestSubmit) form.requestSubmit(button);
          else button.click();
        }
      },
      true
    );
  }

  function autosave(form, desk) {
    var url = desk.getAttribute("data-autosave-url");
    var delay = parseInt(desk.getAttribute("data-autosave-delay"), 10) || 3000;
    var status = document.getElementById("autosave-status");
    var tokenInput = form.querySelector("[name=csrfmiddlewaretoken]");
    var timer = null;
    var dirty = false;
    var submitting = false;

    function payload() {
      var data = new FormData(form);
      data.delete("csrfmiddlewaretoken");
      data.delete("featured_image");
      return data;
    }

    function send(keepalive) {
      timer = null;
      if (!dirty || submitting) return;
      dirty = false;
      fetch(url, {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "X-Autosave": "1" },
      })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.error || response.statusText);
            return body;
          });
        })
        .then(function (body) {
          if (status) status.textContent = body.message;
          desk.setAttribute("data-autosaved-at", body.saved_at);
        })
        .catch(function (error) {
          dirty = true;
          if (status) status.textContent = desk.getAttribute("data-failed-text") || String(error.message || error);
        });
    }

    function changed(event) {
      if (event.target && event.target.type === "file") return;
      dirty = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(send, delay);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
      if (timer) clearTimeout(timer);
      setTimeout(function () {
        submitting = false; // a preview (new tab) leaves this page open for more edits
      }, 1000);
    });
    // Leaving with changes not yet sent: send them on the way out.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && dirty) send(true);
    });
  }

  function start() {
    var form = document.getElementById("article_form");
    if (!form) return;
    counters(form);
    saveShortcut(form);
    var desk = document.getElementById("article-desk");
    if (desk) autosave(form, desk);
  }

  // The admin loads form media in <head>, before the form exists.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
