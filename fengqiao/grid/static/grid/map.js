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

  function draw(features, points, maxCases, linkTemplate, summary, highlight) {
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
    if (highlight) {
      option.geo.regions = [{ name: highlight, itemStyle: { areaColor: "#90caf9", borderColor: "#1d4f91", borderWidth: 2 } }];
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
    drawing(chart, option);
    var out = document.getElementById("map-summary");
    if (out && summary) out.textContent = summary;
  }

  /* Drawing a boundary on the map: each click adds a vertex (in the map's own
   * coordinates), "done" closes the ring and puts the GeoJSON in the boundary form. */
  function drawing(chart, option) {
    var tools = document.getElementById("draw-tools");
    if (!tools) return;
    var start = document.getElementById("draw-start"), undo = document.getElementById("draw-undo");
    var done = document.getElementById("draw-done"), state = document.getElementById("draw-state");
    var on = false, pts = [];
    function show() {
      var ring = pts.length > 2 ? pts.concat([pts[0]]) : pts;
      chart.setOption({ series: option.series.concat([{
        id: "draft", type: "lines", coordinateSystem: "geo", geoIndex: 0, polyline: true, z: 20,
        lineStyle: { color: "#c62828", width: 2 }, data: pts.length > 1 ? [{ coords: ring }] : []
      }, {
        id: "draft-points", type: "scatter", coordinateSystem: "geo", geoIndex: 0, z: 21, symbolSize: 6,
        itemStyle: { color: "#c62828" }, data: pts.map(function (p) { return { value: p }; })
      }]) });
      state.textContent = tools.dataset.msgPoints.replace("{n}", pts.length);
      undo.disabled = !pts.length; done.disabled = pts.length < 3;
    }
    start.addEventListener("click", function () { on = true; pts = []; show(); });
    undo.addEventListener("click", function () { pts.pop(); show(); });
    done.addEventListener("click", function () {
      if (pts.length < 3) { state.textContent = tools.dataset.msgFew; return; }
      var ring = pts.map(function (p) { return [+p[0].toFixed(6), +p[1].toFixed(6)]; });
      ring.push(ring[0]);
      document.getElementById("b-text").value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      document.getElementById("b-source").value = "drawn";
      on = false;
      document.getElementById("b-text").focus();
    });
    chart.getZr().on("click", function (e) {
      if (!on) return;
      var p = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
      if (p) { pts.push(p); show(); }
    });
  }

  var inline = document.getElementById("grid-map-data");
  if (inline) {
    var d = JSON.parse(inline.textContent);
    var feats = [];
    if (d.village) { var v = named([d.village], "name"); v[0].properties.kind = "region"; feats.push(v[0]); }
    if (d.grid) feats = feats.concat(named([d.grid], "name"));
    draw(feats, [], 0, null, "", d.grid ? d.grid.properties.code : null);
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
