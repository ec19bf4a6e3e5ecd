/* Risk map: the regions below coloured by a metric, from local GeoJSON (no internet tiles),
 * with the cases that have coordinates as points. Click a region: its own map; a point: the case. */
(function () {
  "use strict";
  var el = document.getElementById("risk-map");
  if (!el || !window.echarts) return;
  var RISK = { red: "#c62828", yellow: "#f9a825", blue: "#1565c0" };
  fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
    var features = d.features.map(function (f) {
      var p = Object.assign({}, f.properties); p.label = p.name; p.name = p.code;
      return { type: "Feature", geometry: f.geometry, properties: p };
    });
    var summary = document.getElementById("map-summary");
    if (!features.length) { if (summary) summary.textContent = el.dataset.empty; return; }
    var byCode = {};
    features.forEach(function (f) { byCode[f.properties.name] = f.properties; });
    echarts.registerMap("fq-risk", { type: "FeatureCollection", features: features });
    var index = d.metric === "index";
    var values = features.map(function (f) { return f.properties.value; }).filter(function (v) { return typeof v === "number"; });
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) {
        if (p.seriesType === "scatter") return p.data.code + "<br>" + p.data.title;
        var q = byCode[p.name] || {};
        return [q.label, el.dataset.labelCases + "：" + (q.cases || 0), el.dataset.labelRed + "：" + (q.red || 0),
                el.dataset.labelIndex + "：" + (q.score == null ? "—" : q.score.toFixed(1))].join("<br>");
      } },
      geo: { map: "fq-risk", roam: true, aspectScale: 0.86, layoutCenter: ["50%", "50%"], layoutSize: "95%",
             itemStyle: { borderColor: "#5c6b7a", borderWidth: 0.6, areaColor: "#eef3f8" },
             label: { show: true, fontSize: 10, formatter: function (p) { return (byCode[p.name] || {}).label || ""; } },
             emphasis: { itemStyle: { areaColor: "#ffe082" } }, select: { disabled: true } },
      visualMap: { min: index ? Math.min.apply(null, values.concat([60])) : 0,
                   max: index ? 100 : Math.max.apply(null, values.concat([1])), calculable: true, left: 8, bottom: 8,
                   itemHeight: 90, seriesIndex: 0,
                   inRange: { color: index ? ["#990000", "#ef6548", "#fdd49e", "#f3f7fb"] : ["#f3f7fb", "#fdd49e", "#ef6548", "#990000"] } },
      series: [
        { type: "map", geoIndex: 0, data: features.map(function (f) { return { name: f.properties.name, value: f.properties.value }; }) },
        { type: "scatter", coordinateSystem: "geo", geoIndex: 0, symbolSize: 7, z: 10,
          data: (d.points || []).map(function (p) { return { value: p.value, code: p.code, title: p.title,
            itemStyle: { color: RISK[p.risk] || "#37474f", borderColor: "#fff", borderWidth: 0.5 } }; }) }
      ]
    });
    chart.on("click", function (p) {
      if (p.seriesType === "scatter" && p.data.code) window.location.href = "/cases/" + encodeURIComponent(p.data.code) + "/";
      else if (byCode[p.name]) window.location.href = el.dataset.next.replace("CODE", encodeURIComponent(p.name));
    });
    window.addEventListener("resize", function () { chart.resize(); });
    if (summary) summary.textContent = el.dataset.labelAreas + "：" + features.length + " · " + el.dataset.labelPoints + "：" + (d.points || []).length;
    el.dataset.drawn = "1";
  });
})();
