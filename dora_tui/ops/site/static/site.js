/* dora-tui site: the directory's filter box and sortable tables. Every page reads the same without it. */
(function () {
  "use strict";

  function text(cell) {
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a.replace(/^0+(?=\d)/, "") && String(y) === b.replace(/^0+(?=\d)/, "")) {
      return x - y;
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortable(table) {
    if (table.classList.contains("directory")) { return; } /* grouped by team: its order is the point */
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        Array.prototype.forEach.call(table.tBodies, function (body) {
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (r1, r2) {
            var order = compare(text(r1.cells[column]), text(r2.cells[column]));
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  function filter(box) {
    var table = document.getElementById(box.getAttribute("data-filter-for"));
    var input = box.querySelector("input");
    var count = box.querySelector(".filter-count");
    if (!table || !input) { return; }
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().trim();
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies, function (body) {
        var any = false;
        Array.prototype.forEach.call(body.rows, function (row) {
          var hit = !words || (row.getAttribute("data-name") || "").toLowerCase().indexOf(words) !== -1;
          if (row.classList.contains("team")) { any = any || (hit && !!words); return; }
          row.hidden = !hit;
          if (hit) { any = true; shown += 1; }
        });
        body.hidden = !any;
      });
      count.textContent = words ? shown + (shown === 1 ? " service" : " services") : "";
    });
  }

  /* A printed page shows every chart's table of values. */
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-for]"), filter);
  });
})();
