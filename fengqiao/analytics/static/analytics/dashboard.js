// Draws the dashboard charts from the JSON embedded in the page.
(function () {
  var el = document.getElementById("dashboard-data");
  if (!el || !window.echarts) return;
  var d = JSON.parse(el.textContent);
  var colors = { blue: "#2f6fdf", yellow: "#d9a400", red: "#d1342f", orange: "#e8772e", green: "#2e9d52" };
  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    var chart = echarts.init(node);
    option.animation = false; // draw at once: figures, not a show
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var months = Object.keys(d.by_month);
  draw("chart-month", {
    tooltip: {}, grid: { left: 40, right: 10, top: 10, bottom: 30 },
    xAxis: { type: "category", data: months }, yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: months.map(function (m) { return d.by_month[m]; }), itemStyle: { color: "#2f6fdf" } }]
  });
  draw("chart-status", {
    tooltip: {}, series: [{ type: "pie", radius: ["35%", "65%"],
      data: Object.keys(d.by_status).map(function (k) { return { name: d.status_labels[k] || k, value: d.by_status[k] }; }) }]
  });
  var cats = Object.keys(d.by_category).slice(0, 10);
  draw("chart-category", {
    tooltip: {}, grid: { left: 8, right: 16, top: 10, bottom: 20, containLabel: true },
    xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: cats.slice().reverse() },
    series: [{ type: "bar", data: cats.map(function (c) { return d.by_category[c]; }).reverse(), itemStyle: { color: "#3d7d6b" } }]
  });
  draw("chart-risk", {
    tooltip: {}, series: [{ type: "pie", radius: "65%",
      data: Object.keys(d.by_risk).map(function (k) {
        var labels = d.risk_labels || {}, palette = d.risk_colours || {};
        return { name: labels[k] || k, value: d.by_risk[k], itemStyle: { color: palette[k] || colors[k] } };
      }) }]
  });
})();
// The figures by place: every bar opens the case list behind it.
(function () {
  var el = document.getElementById("level-data");
  if (!el || !window.echarts) return;
  var d = JSON.parse(el.textContent);
  function draw(id, option, onClick) {
    var node = document.getElementById(id);
    if (!node) return;
    var chart = echarts.init(node);
    option.animation = false;
    chart.setOption(option);
    if (onClick) chart.on("click", onClick);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var months = Object.keys(d.by_month);
  draw("chart-level-month", {
    tooltip: {}, grid: { left: 40, right: 10, top: 10, bottom: 30 },
    xAxis: { type: "category", data: months }, yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: months.map(function (m) { return d.by_month[m]; }), itemStyle: { color: "#2f6fdf" }, cursor: "pointer" }]
  }, function (p) { var u = d.month_links[p.name]; if (u) window.location = u; });
  var cats = d.by_category.slice().reverse();
  draw("chart-level-category", {
    tooltip: {}, grid: { left: 8, right: 16, top: 10, bottom: 20, containLabel: true },
    xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: cats.map(function (c) { return c.name; }) },
    series: [{ type: "bar", data: cats.map(function (c) { return { value: c.n, id: String(c.id) }; }), itemStyle: { color: "#3d7d6b" } }]
  }, function (p) { var u = d.category_links[cats[p.dataIndex].id]; if (u) window.location = u; });
  draw("chart-level-channel", {
    tooltip: {}, series: [{ type: "pie", radius: ["35%", "65%"],
      data: d.by_channel.map(function (c) { return { name: c.name, value: c.n }; }) }]
  });
})();
