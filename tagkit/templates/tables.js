// tagkit's only script: sort a report's tables by a header, filter their rows by a word.
// No network, no eval, no markup from text: rows are moved and hidden, never rewritten.
(function () {
  "use strict";
  // the page's words (its language), given by the page itself in data attributes of <body>
  function pageWords(name, english) { return document.body.getAttribute("data-tk-" + name) || english; }
  function value(row, index, numeric) {
    var cell = row.cells[index];
    if (!numeric) { return cell ? cell.textContent.toLowerCase() : ""; }
    var raw = cell ? cell.getAttribute("data-value") : null;
    return raw === null ? -Infinity : parseFloat(raw);
  }
  function sort(table, th) {
    var index = th.cellIndex, numeric = th.classList.contains("num");
    var descending = th.getAttribute("aria-sort") === "ascending";
    var headers = table.tHead.rows[0].cells;
    for (var h = 0; h < headers.length; h++) { headers[h].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, order) { return [value(row, index, numeric), order, row]; });
    keyed.sort(function (a, b) {
      if (a[0] < b[0]) { return descending ? 1 : -1; }
      if (a[0] > b[0]) { return descending ? -1 : 1; }
      return a[1] - b[1];
    });
    keyed.forEach(function (item) { body.appendChild(item[2]); });
  }
  function filter(table, words, count) {
    var wanted = words.toLowerCase().trim(), rows = table.tBodies[0].rows, shown = 0;
    for (var r = 0; r < rows.length; r++) {
      var keep = !wanted || rows[r].textContent.toLowerCase().indexOf(wanted) !== -1;
      rows[r].hidden = !keep;
      if (keep) { shown++; }
    }
    var said = pageWords("match", "{shown} of {total} rows match");
    count.textContent = wanted ? said.replace("{shown}", String(shown)).replace("{total}", String(rows.length)) : "";
  }
  var tables = document.querySelectorAll("div.tk-table-wrap > table.tk-table");
  Array.prototype.forEach.call(tables, function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th) {
      th.tabIndex = 0;
      th.title = pageWords("sort", "Sort by this column (again: the other way)");
      th.addEventListener("click", function () { sort(table, th); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(table, th); }
      });
    });
    if (table.tBodies[0].rows.length > 5) {
      var bar = document.createElement("div"), box = document.createElement("input");
      var count = document.createElement("span");
      bar.className = "tk-filter";
      box.type = "search";
      box.placeholder = pageWords("filter", "Filter rows");
      box.setAttribute("aria-label", pageWords("filter-label", "Filter the rows of the table below"));
      count.className = "tk-note";
      box.addEventListener("input", function () { filter(table, box.value, count); });
      bar.appendChild(box);
      bar.appendChild(count);
      table.parentNode.parentNode.insertBefore(bar, table.parentNode);
    }
  });
})();
