/* Draws the charts of a page from their JSON (<script type="application/json">), in the colours of Material's
   current palette; redraws on a light/dark toggle and before printing. No inline script: CSP-friendly. */
(function () {
  "use strict";

  function palette() {
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
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
