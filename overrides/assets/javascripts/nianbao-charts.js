/* Draws the charts of a page from their JSON (<script type="application/json">), in the colours of Material's
   current palette; redraws on a light/dark toggle and before printing. No inline script: CSP-friendly. */
(function () {
  "use strict";

  // Paper. Plotly.Plots.resize redraws after a timer, too late for the print layout: before printing, each chart is
  // redrawn at once (relayout is synchronous) at a width that fits the printed column, in light colours, and put
  // back afterwards. The print document of the PDF (data-nb-print-document) lays charts out at print width from
  // the start and needs none of this.
  var PRINT_WIDTH = "160mm"; // fits A4 and US Letter with the margins of print.css
  var PRINT_GROUP_HEIGHT = 270; // px: the print document sets target charts two by two, two rows to a page
  var printDocument = document.body.hasAttribute("data-nb-print-document");
  var printing = false;

  function palette() {
    if (printing || printDocument) return { fg: "#222", grid: "#d9d9d9" }; // paper is white, whatever the palette
    var style = getComputedStyle(document.body);
    var fg = style.getPropertyValue("--md-default-fg-color").trim() || "#222";
    var grid = style.getPropertyValue("--md-default-fg-color--lightest").trim() || "#ddd";
    return { fg: fg, grid: grid };
  }

  function axis(base, colours) {
    return Object.assign({}, base, { gridcolor: colours.grid, linecolor: colours.grid, zerolinecolor: colours.grid });
  }

  function themed(layout) {
    var colours = palette();
    var out = Object.assign({}, layout, {
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: Object.assign({}, layout.font, { color: colours.fg })
    });
    ["xaxis", "yaxis", "yaxis2"].forEach(function (name) {
      if (layout[name]) out[name] = axis(layout[name], colours);
    });
    return out;
  }

  var drawn = [];

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-nb-figure"));
    if (!source || typeof Plotly === "undefined") return;
    var figure = JSON.parse(source.textContent);
    if (printDocument && el.closest(".nb-chart-group")) {
      figure.layout = Object.assign({}, figure.layout, { height: PRINT_GROUP_HEIGHT }); // two rows to an A4 page
    }
    Plotly.newPlot(el, figure.data, themed(figure.layout), {
      responsive: true,
      displaylogo: false,
      displayModeBar: false
    }).then(function () {
      el.setAttribute("data-nb-drawn", "true");
    });
    drawn.push({ el: el, layout: figure.layout });
  }

  function restyle() {
    drawn.forEach(function (chart) {
      Plotly.relayout(chart.el, themed(chart.layout));
    });
  }

  function resizeAll() {
    drawn.forEach(function (chart) {
      Plotly.Plots.resize(chart.el);
    });
  }

  document.querySelectorAll("[data-nb-figure]").forEach(draw);
  new MutationObserver(restyle).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"]
  });
  function printWidth() {
    var probe = document.createElement("div");
    probe.style.cssText = "position:absolute;visibility:hidden;height:0;width:" + PRINT_WIDTH;
    document.body.appendChild(probe);
    var width = probe.getBoundingClientRect().width;
    document.body.removeChild(probe);
    return width;
  }

  function beforePrint() {
    if (printDocument || printing) return;
    printing = true;
    var width = printWidth();
    drawn.forEach(function (chart) {
      Plotly.relayout(chart.el, Object.assign(themed(chart.layout), { width: width, autosize: false }));
    });
  }

  function afterPrint() {
    if (!printing) return;
    printing = false;
    drawn.forEach(function (chart) {
      Plotly.relayout(chart.el, Object.assign(themed(chart.layout), { width: null, autosize: true }));
    });
    resizeAll();
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
})();
