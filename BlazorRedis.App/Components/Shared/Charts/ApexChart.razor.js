// Typed interop for npm apexcharts 4.7.0 (window.ApexCharts, loaded by App.razor).
// One chart per host element; the element remembers its chart, theme observer and point count.
const charts = new WeakMap();

function themeOf(element, configured) {
  if (configured === "light" || configured === "dark") {
    return configured;
  }
  const holder = element.closest("[data-theme]");
  return holder && holder.getAttribute("data-theme") === "dark" ? "dark" : "light";
}

function format(value, config) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return "–";
  }
  // With no point in the window ApexCharts scales the axis to ±Number.MAX_VALUE: print nothing rather than 1.797…e308.
  if (!Number.isFinite(value) || Math.abs(value) >= 1e300) {
    return "";
  }
  const text = Math.abs(value) < 1 && value !== 0 && config.decimals < 2 ? value.toFixed(2) : value.toFixed(config.decimals);
  return config.unit ? `${text} ${config.unit}` : text;
}

function copy(series) {
  return series.map(s => ({ name: s.name, data: s.data.slice() }));
}

// What is drawn: the measured points only. A second with nothing to measure is a null on the server; ApexCharts 4.7
// breaks the line at every null and has no option to connect them, so a load whose reads come every other second
// (workers in step with a 2 s database) drew nothing at all. Leaving the nulls out joins the points either side.
function drawn(series) {
  return series.map(s => ({ name: s.name, data: s.data.filter(p => p[1] !== null && p[1] !== undefined) }));
}

function countPoints(series) {
  return series.reduce((sum, s) => sum + s.data.filter(p => p[1] !== null && p[1] !== undefined).length, 0);
}

function options(element, config) {
  const colors = config.colors.filter(c => c);
  return {
    chart: {
      type: config.kind,
      height: config.height,
      background: "transparent",
      animations: { enabled: false },
      toolbar: { show: false },
      zoom: { enabled: false },
      fontFamily: "Roboto, Helvetica, Arial, sans-serif"
    },
    theme: { mode: themeOf(element, config.theme) },
    series: drawn(config.series),
    colors: colors.length === config.series.length ? colors : undefined,
    stroke: { curve: "straight", width: 2 },
    markers: { size: 0 },
    dataLabels: { enabled: false },
    legend: { position: "top", horizontalAlign: "left" },
    fill: config.kind === "area" ? { type: "gradient", gradient: { opacityFrom: 0.35, opacityTo: 0.05 } } : { type: "solid" },
    xaxis: {
      type: "datetime",
      range: config.windowMs || undefined,
      labels: { datetimeUTC: false, format: "HH:mm:ss" }
    },
    yaxis: {
      title: { text: config.yTitle || undefined },
      logarithmic: config.logarithmic,
      logBase: 10,
      min: config.yMin ?? undefined,
      max: config.yMax ?? undefined,
      forceNiceScale: !config.logarithmic,
      labels: { formatter: v => format(v, config) }
    },
    tooltip: { x: { format: "HH:mm:ss" }, y: { formatter: v => format(v, config) } },
    noData: { text: "Waiting for the first second of data…" }
  };
}

export function create(element, config) {
  dispose(element);
  const chart = new window.ApexCharts(element, options(element, config));
  chart.render();
  let observer = null;
  if (config.theme === "auto") {
    const holder = element.closest("[data-theme]");
    if (holder) {
      // Follow the dashboard's light/dark toggle without a round trip to the server.
      observer = new MutationObserver(() => chart.updateOptions({ theme: { mode: themeOf(element, "auto") } }, false, false));
      observer.observe(holder, { attributes: true, attributeFilter: ["data-theme"] });
    }
  }
  charts.set(element, { chart, observer, series: copy(config.series) });
  element.dataset.points = String(countPoints(config.series));
  element.dataset.updates = "0";
}

export function update(element, series) {
  const entry = charts.get(element);
  if (!entry) {
    return;
  }
  entry.series = copy(series);
  entry.chart.updateSeries(drawn(series), false);
  element.dataset.points = String(countPoints(series));
  element.dataset.updates = String(Number(element.dataset.updates || "0") + 1);
}

// The window slid: add each series' new points and keep its last keep[i] points (what the server now holds).
export function append(element, fresh, keep) {
  const entry = charts.get(element);
  if (!entry) {
    return;
  }
  entry.series.forEach((s, i) => {
    s.data.push(...fresh[i].data);
    if (s.data.length > keep[i]) {
      s.data.splice(0, s.data.length - keep[i]);
    }
  });
  entry.chart.updateSeries(drawn(entry.series), false);
  element.dataset.points = String(countPoints(entry.series));
  element.dataset.updates = String(Number(element.dataset.updates || "0") + 1);
}

export function dispose(element) {
  const entry = charts.get(element);
  if (!entry) {
    return;
  }
  entry.observer?.disconnect();
  entry.chart.destroy();
  charts.delete(element);
}
