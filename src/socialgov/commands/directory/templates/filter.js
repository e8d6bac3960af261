(function () {
  "use strict";
  var form = document.getElementById("filter-form");
  var input = document.getElementById("filter");
  var status = document.getElementById("filter-status");
  if (!form || !input || !status) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-search]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(function (w) { return w; });
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search");
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = words.length > 0 && !group.querySelector("tr[data-search]:not([hidden])");
    });
    status.textContent = words.length
      ? shown + " of " + rows.length + (rows.length === 1 ? " account matches" : " accounts match")
      : "";
  }
  form.hidden = false;
  input.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  var wanted = new URLSearchParams(window.location.search).get("q");
  if (wanted) { input.value = wanted; }
  apply();
})();
