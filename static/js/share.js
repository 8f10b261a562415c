// Progressive enhancement for the share bar: the native share sheet where the browser has
// one, and copy-to-clipboard for the copy-link link. Without JavaScript both stay plain links.
(function () {
  "use strict";

  document.querySelectorAll("[data-share-native]").forEach(function (button) {
    if (!navigator.share) {
      return;
    }
    button.closest("[hidden]").hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(function () {});
    });
  });

  document.querySelectorAll("[data-copy-link]").forEach(function (link) {
    var status = link.parentElement.querySelector("[data-copy-status]");
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard) {
        return;
      }
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(
        function () {
          status.textContent = status.dataset.copied || "Link copied";
        },
        function () {
          window.location.href = link.href;
        }
      );
    });
  });
})();
