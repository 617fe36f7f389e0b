// Draw every section of the kamerspoor report from the JSON embedded in the page.
// After drawing, each section's content element carries data-drawn = number of drawn marks
// (plot points/bars, or table rows), and <body data-report="done">, so a headless browser can
// check that every section rendered something.
(function () {
  "use strict";
  var errors = document.getElementById("report-errors");
  function fail(message) {
    errors.hidden = false;
    errors.appendChild(document.createTextNode(message + "\n"));
  }
  window.addEventListener("error", function (e) { fail("error: " + e.message); });

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text === null || text === undefined ? "" : String(text);
    if (typeof text === "number") el.className = "num";
    return el;
  }
  function safeUrl(url) {
    return typeof url === "string" && /^https:\/\//.test(url) ? url : null;
  }
  function drawTable(target, content) {
    var table = document.createElement("table");
    var head = document.createElement("tr");
    content.columns.forEach(function (c) { head.appendChild(cell("th", c[1])); });
    var linkNames = Object.keys(content.links);
    if (linkNames.length) head.appendChild(cell("th", "links"));
    table.appendChild(head);
    content.rows.forEach(function (row) {
      var tr = document.createElement("tr");
      content.columns.forEach(function (c) { tr.appendChild(cell("td", row[c[0]])); });
      if (linkNames.length) {
        var td = document.createElement("td");
        linkNames.forEach(function (name) {
          var url = safeUrl(row[content.links[name]]);
          if (!url) return;
          var a = document.createElement("a");
          a.href = url; a.textContent = name; a.rel = "noopener noreferrer"; a.target = "_blank";
          td.appendChild(a); td.appendChild(document.createTextNode(" "));
        });
        tr.appendChild(td);
      }
      table.appendChild(tr);
    });
    target.appendChild(table);
    return content.rows.length;
  }
  function drawPlot(target, figure) {
    return Plotly.newPlot(target, figure.data, figure.layout, {displaylogo: false, responsive: true})
      .then(function () {
        return target.querySelectorAll(".scatterlayer .point, .barlayer .point, .scatterlayer .js-line").length;
      });
  }

  var sections = JSON.parse(document.getElementById("report-data").textContent);
  var pending = sections.map(function (s) {
    var target = document.getElementById("content-" + s.key);
    if (!s.rows) {
      target.appendChild(cell("p", s.empty || "Geen gegevens voor dit onderdeel."));
      target.firstChild.className = "empty";
      target.dataset.drawn = "0";
      return Promise.resolve();
    }
    var drawn = s.kind === "plot" ? drawPlot(target, s.content) : Promise.resolve(drawTable(target, s.content));
    return drawn.then(function (n) { target.dataset.drawn = String(n); })
      .catch(function (e) { fail(s.key + ": " + e); target.dataset.drawn = "0"; });
  });
  Promise.all(pending).then(function () { document.body.dataset.report = "done"; });
})();
