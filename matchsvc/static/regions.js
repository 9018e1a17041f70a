// The region choosers (matchsvc/web/regions.py): when a select changes, the next one is filled
// with the divisions under the choice and the deeper ones are cleared. Without this script the
// "选择下级地区" button does the same by posting the form back.
(function () {
  "use strict";
  if (window.matchsvcRegions) { return; }  // one listener, however many choosers a page has
  window.matchsvcRegions = true;
  function fill(select, items, label) {
    select.innerHTML = "";
    var first = document.createElement("option");
    first.value = "";
    first.textContent = label;
    select.appendChild(first);
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.code;
      option.textContent = item.name;
      select.appendChild(option);
    });
    select.hidden = items.length === 0;
  }
  function chooserSelects(select) {
    return Array.prototype.slice.call(
      select.parentNode.querySelectorAll("select[data-region-level]")
    );
  }
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-region-level]")) { return; }
    var selects = chooserSelects(select);
    var at = selects.indexOf(select);
    var deeper = selects.slice(at + 1);
    deeper.forEach(function (s) { fill(s, [], s.options[0] ? s.options[0].textContent : ""); });
    if (!select.value || deeper.length === 0) { return; }
    var next = deeper[0];
    var label = next.options[0] ? next.options[0].textContent : "";
    fetch("/regions/" + encodeURIComponent(select.value) + ".json", { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : []; })
      .then(function (items) { fill(next, items, label); next.dataset.parent = select.value; });
  });
})();
