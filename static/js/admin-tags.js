// Tag suggestions for a comma-separated tags box: the <datalist> offers every known tag
// after whatever has been typed up to the last comma, so the browser's own autocomplete
// completes the tag being typed.
(function () {
  "use strict";
  document.querySelectorAll("input[data-tag-suggestions]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var names = Array.prototype.map.call(list.options, function (option) {
      return option.value;
    });
    input.addEventListener("input", function () {
      var cut = input.value.lastIndexOf(",");
      var before = cut === -1 ? "" : input.value.slice(0, cut + 1) + " ";
      var chosen = before.split(",").map(function (name) {
        return name.trim().toLowerCase();
      });
      list.replaceChildren.apply(
        list,
        names
          .filter(function (name) {
            return chosen.indexOf(name.toLowerCase()) === -1;
          })
          .map(function (name) {
            var option = document.createElement("option");
            option.value = before + name;
            return option;
          })
      );
    });
  });
})();
