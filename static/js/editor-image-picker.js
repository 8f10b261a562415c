// The body editor's image window (blog/media_library.py picker_view): hands the chosen or
// just-uploaded image to the editor's figure dialog, which then asks for "Insert".
(function () {
  "use strict";
  var root = document.querySelector("[data-func-num]");
  if (!root) return;
  var funcNum = root.getAttribute("data-func-num");

  function choose(data) {
    var opener = window.opener;
    if (!opener || !opener.CKEDITOR || !opener.CKEDITOR.tools) return;
    opener.CKEDITOR.tools.callFunction(funcNum, data.url, {
      id: data.id,
      alternative_text: data.alt || "",
      caption: data.caption || "",
    });
    window.close();
  }

  document.querySelectorAll("[data-choose]").forEach(function (button) {
    button.addEventListener("click", function () {
      choose(button.dataset);
    });
  });
  var chosen = document.querySelector("[data-chosen]");
  if (chosen) choose(chosen.dataset);
})();
