/// The page's only script: sorts the table by a header click or by the URL fragment `#sort=KEY` (ascending)
/// or `#sort=-KEY` (descending), KEY being a column's machine name (`test_accuracy`, `units`). A click writes
/// the fragment, so a sorted view can be bookmarked. Rows without a value go last; ties keep grid order.
enum HTMLScript {
    static let source = """
        (function () {
          var table = document.getElementById("report-table"), body = table.tBodies[0];
          var heads = [].slice.call(table.tHead.rows[0].cells);
          function sort(spec) {
            var down = spec.charAt(0) === "-", key = down ? spec.slice(1) : spec;
            var th = heads.filter(function (h) { return h.dataset.key === key; })[0];
            if (!th) return;
            var i = th.cellIndex, numeric = th.dataset.type === "number", rows = [].slice.call(body.rows);
            rows.sort(function (x, y) {
              var a = x.cells[i].dataset.value, b = y.cells[i].dataset.value, byRow = x.dataset.row - y.dataset.row;
              if (a === "" || b === "") return (a === "") - (b === "") || byRow;
              var order = numeric ? a - b : a.localeCompare(b);
              return (down ? -order : order) || byRow;
            });
            rows.forEach(function (row) { body.appendChild(row); });
            heads.forEach(function (h) {
              h.setAttribute("aria-sort", h !== th ? "none" : down ? "descending" : "ascending");
            });
          }
          function apply() { var m = /^#sort=(-?[A-Za-z0-9_.]+)$/.exec(location.hash); if (m) sort(m[1]); }
          table.tHead.addEventListener("click", function (event) {
            var th = event.target.closest("th");
            var flip = th && th.getAttribute("aria-sort") === "ascending" ? "-" : "";
            if (th) location.hash = "sort=" + flip + th.dataset.key;
          });
          window.addEventListener("hashchange", apply);
          apply();
        })();
        """
}
