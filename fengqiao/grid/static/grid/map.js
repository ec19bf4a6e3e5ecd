/* Grid maps drawn from local GeoJSON with ECharts (no internet tiles).
 * Region mode: #grid-map[data-url] fetches grids (heat by case count) and case points.
 * Detail mode: a json_script #grid-map-data holds one grid and its village's outline. */
(function () {
  "use strict";
  var el = document.getElementById("grid-map");
  if (!el || !window.echarts) return;
  var RISK = { red: "#c62828", yellow: "#f9a825", blue: "#1565c0" };

  function named(features, labelKey) {
    return features.map(function (f) {
      var p = Object.assign({}, f.properties);
      p.label = p[labelKey] || p.name;
      p.name = p.code;
      return { type: "Feature", geometry: f.geometry, properties: p };
    });
  }

  function draw(features, points, maxCases, linkTemplate, summary) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var byCode = {};
    features.forEach(function (f) { byCode[f.properties.name] = f.properties; });
    echarts.registerMap("fq-grid", { type: "FeatureCollection", features: features });
    var withCases = features.some(function (f) { return typeof f.properties.cases === "number"; });
    var option = {
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.seriesType === "scatter") return p.data.code + "<br>" + p.data.title;
          var props = byCode[p.name] || {};
          var lines = [props.label || p.name];
          if (withCases) lines.push(el.dataset.labelCases + "：" + (props.cases || 0));
          if (typeof props.workers === "number") lines.push(el.dataset.labelWorkers + "：" + props.workers);
          return lines.join("<br>");
        }
      },
      geo: {
        map: "fq-grid", roam: true, aspectScale: 0.86, layoutCenter: ["50%", "50%"], layoutSize: "95%",
        itemStyle: { borderColor: "#5c6b7a", borderWidth: 0.6, areaColor: "#eef3f8" },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#ffe082" } },
        select: { disabled: true }
      },
      series: [{
        type: "map", geoIndex: 0,
        data: features.map(function (f) { return { name: f.properties.name, value: f.properties.cases || 0 }; })
      }]
    };
    if (withCases) {
      option.visualMap = {
        min: 0, max: Math.max(1, maxCases), calculable: true, left: 8, bottom: 8,
        itemHeight: 90, text: ["", ""], inRange: { color: ["#f3f7fb", "#fdd49e", "#ef6548", "#990000"] },
        seriesIndex: 0
      };
    }
    if (points && points.length) {
      option.series.push({
        type: "scatter", coordinateSystem: "geo", geoIndex: 0, symbolSize: 7, z: 10,
        data: points.map(function (p) { return { value: p.value, code: p.code, title: p.title,
          itemStyle: { color: RISK[p.risk] || "#37474f", borderColor: "#fff", borderWidth: 0.5 } }; })
      });
    }
    chart.setOption(option);
    chart.on("click", function (p) {
      if (p.seriesType === "scatter" && p.data.code) {
        window.location.href = "/cases/" + encodeURIComponent(p.data.code) + "/";
      } else if (linkTemplate && byCode[p.name] && byCode[p.name].kind !== "region") {
        window.location.href = linkTemplate.replace("CODE", encodeURIComponent(p.name));
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    var out = document.getElementById("map-summary");
    if (out && summary) out.textContent = summary;
  }

  var inline = document.getElementById("grid-map-data");
  if (inline) {
    var d = JSON.parse(inline.textContent);
    var feats = [];
    if (d.village) { var v = named([d.village], "name"); v[0].properties.kind = "region"; feats.push(v[0]); }
    if (d.grid) feats = feats.concat(named([d.grid], "name"));
    draw(feats, [], 0, null, "");
    return;
  }
  fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
    var feats = named(d.grids.features, "name");
    if (!feats.length && d.children && d.children.features.length) {
      feats = named(d.children.features, "name").map(function (f) { f.properties.kind = "region"; return f; });
    }
    if (!feats.length) { el.textContent = el.dataset.labelNone; return; }
    draw(feats, d.points, d.max_cases, d.case_list_url,
      (el.dataset.summary || "").replace("{g}", d.grids.features.length).replace("{p}", d.points.length));
  });
})();
