// Progressive enhancement for comment replies: "Reply" moves the form under the comment and
// sets its parent. Without JavaScript the link reloads the page with ?replytocom=<id>.
(function () {
  "use strict";

  var respond = document.getElementById("respond");
  if (!respond) {
    return;
  }
  var home = document.createComment("respond");
  respond.parentNode.insertBefore(home, respond);
  var form = respond.querySelector("form");
  var parentField = form.querySelector("input[name='parent']");
  var title = respond.querySelector("[data-default-title]");
  var cancel = respond.querySelector(".comment-respond__cancel");
  var body = form.querySelector("textarea");

  function reset() {
    home.parentNode.insertBefore(respond, home.nextSibling);
    parentField.value = "";
    title.textContent = title.dataset.defaultTitle;
    cancel.hidden = true;
  }

  document.querySelectorAll("[data-reply-to]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      link.closest(".comment__card").after(respond);
      parentField.value = link.dataset.replyTo;
      title.textContent = link.textContent.trim();
      cancel.hidden = false;
      body.focus();
    });
  });

  cancel.addEventListener("click", function (event) {
    event.preventDefault();
    reset();
    body.focus();
  });
})();
