// The programme form's county list: a text filter over the checkboxes grouped by province.
// Without this script the checkboxes still post as they are; the filter only hides rows.
(function () {
  "use strict";
  var box = document.querySelector(".county-filter");
  var input = document.getElementById("county-filter");
  if (!box || !input) return;
  var groups = Array.prototype.slice.call(document.querySelectorAll("fieldset.counties details.province"));
  var count = document.getElementById("county-count");
  box.hidden = false;
  input.addEventListener("input", function () {
    var q = input.value.trim();
    var shown = 0;
    groups.forEach(function (g) {
      var rows = g.querySelectorAll("li");
      var hits = 0;
      for (var i = 0; i < rows.length; i++) {
        var hit = !q || rows[i].getAttribute("data-search").indexOf(q) !== -1;
        rows[i].hidden = !hit;
        if (hit) hits++;
      }
      g.hidden = hits === 0;
      // Open matching provinces while searching; keep the author's choice otherwise.
      if (q) g.open = hits > 0;
      shown += hits;
    });
    count.textContent = q ? shown + " / " + document.querySelectorAll("fieldset.counties li").length : "";
  });
})();
