// The chart of one series: observed values, the expected value, the
// threshold band and the periods that alarmed, from GET /api/v1/series.
// Drag across it to zoom in, double-click to zoom out (uPlot's own gestures).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { Api, ApiError } from "./api";
import { parseEventTime } from "./time";

interface SeriesRow {
  t: number; // seconds since the epoch
  observed: number | null;
  expected: number | null;
  threshold: number | null;
  alarm: boolean;
}

type Json = Record<string, unknown>;

function num(item: Json, name: string): number | null {
  return typeof item[name] === "number" ? (item[name] as number) : null;
}

function list(body: Json, name: string): Json[] {
  return Array.isArray(body[name]) ? (body[name] as Json[]) : [];
}

// The detector the chart follows: `preferred` when it judged the series,
// otherwise the indicator's first. Each detector has its own expected value
// and threshold, so mixing them per period would draw neither.
function chosenDetector(signals: Json[], preferred?: number): number | null {
  const detectors = new Set(signals.map((s) => num(s, "detector")).filter((d) => d !== null));
  if (preferred !== undefined && detectors.has(preferred)) {
    return preferred;
  }
  return detectors.size ? Math.min(...(detectors as Set<number>)) : null;
}

// One row per period from GET /api/v1/series: the observation's current value
// and the chosen detector's expected value, threshold and alarm.
export function seriesRows(body: Json, preferred?: number): { rows: SeriesRow[]; method: string } {
  const rows = new Map<number, SeriesRow>();
  const rowAt = (text: unknown): SeriesRow | null => {
    const t = typeof text === "string" ? parseEventTime(text) : null;
    if (t === null) {
      return null;
    }
    let row = rows.get(t);
    if (!row) {
      row = { t, observed: null, expected: null, threshold: null, alarm: false };
      rows.set(t, row);
    }
    return row;
  };
  for (const o of list(body, "observations")) {
    const row = rowAt(o.time);
    if (row) {
      row.observed = num(o, "value");
    }
  }
  const signals = list(body, "signals");
  const detector = chosenDetector(signals, preferred);
  let method = "";
  for (const s of signals.filter((x) => num(x, "detector") === detector)) {
    const row = rowAt(s.time);
    if (row) {
      row.observed ??= num(s, "observed");
      row.expected = num(s, "expected");
      row.threshold = num(s, "upperbound");
      row.alarm = s.alarm === true;
      method = typeof s.method === "string" ? s.method : method;
    }
  }
  return { rows: [...rows.values()].sort((a, b) => a.t - b.t), method };
}

function message(container: HTMLElement, text: string): void {
  const p = document.createElement("p");
  p.className = "muted";
  p.textContent = text;
  container.replaceChildren(p);
}

export async function showSeries(
  container: HTMLElement,
  api: Api,
  available: boolean,
  indicator: string,
  region: string,
  detector?: number,
): Promise<void> {
  if (!available) {
    message(container, "No series data: this server does not offer series yet.");
    return;
  }
  let series: ReturnType<typeof seriesRows>;
  try {
    const query = new URLSearchParams({ indicator, region });
    series = seriesRows(await api.get<Json>(`/api/v1/series?${query}`), detector);
  } catch (error) {
    const text = error instanceof ApiError && error.status === 404 ? "this server does not offer series yet" : String((error as Error).message);
    message(container, `No series data: ${text}.`);
    return;
  }
  if (series.rows.length === 0) {
    message(container, `No series data for ${indicator} in ${region}.`);
    return;
  }
  draw(container, series.rows, series.method);
}

// What uPlot was given and how often it drew, on the container's dataset:
// how the browser tests see the chart, as the map's dataset does.
function describe(container: HTMLElement, data: uPlot.AlignedData): void {
  const count = (i: number): number =>
    Array.from(data[i] as ArrayLike<number | null | undefined>).filter((v) => v !== null && v !== undefined).length;
  Object.assign(container.dataset, {
    points: String(data[0].length),
    observed: String(count(1)),
    expected: String(count(2)),
    threshold: String(count(3)),
    alarms: String(count(4)),
    drawn: "0",
  });
}

function draw(container: HTMLElement, rows: SeriesRow[], method: string): void {
  container.replaceChildren();
  const data: uPlot.AlignedData = [
    rows.map((r) => r.t),
    rows.map((r) => r.observed),
    rows.map((r) => r.expected),
    rows.map((r) => r.threshold),
    rows.map((r) => (r.alarm ? r.observed ?? r.threshold : null)),
  ];
  describe(container, data);
  const by = method ? ` (${method})` : "";
  const width = Math.max(container.clientWidth, 300);
  const axis = { stroke: "#c8d4df", grid: { stroke: "#2a3a4c" }, ticks: { stroke: "#2a3a4c" } };
  const plot = new uPlot(
    {
      width,
      height: Math.round(width * 0.45),
      cursor: { drag: { x: true, y: false } },
      axes: [axis, axis],
      series: [
        {},
        { label: "observed", stroke: "#e8eef4", width: 1.5 },
        { label: `expected${by}`, stroke: "#7fb3ff", dash: [6, 4], width: 1.5 },
        { label: `threshold${by}`, stroke: "#f07d1a", width: 1 },
        {
          label: "alarm",
          stroke: "#ff5252",
          fill: "#ff5252",
          paths: () => null,
          points: { show: true, size: 9, fill: "#ff5252" },
        },
      ],
      // The band between the expected value and the threshold: what the
      // detector still takes for normal.
      bands: [{ series: [3, 2], fill: "rgba(240, 125, 26, 0.15)" }],
      hooks: {
        draw: [() => (container.dataset.drawn = String(Number(container.dataset.drawn) + 1))],
      },
    },
    data,
    container,
  );
  new ResizeObserver(() => {
    const w = Math.max(container.clientWidth, 300);
    plot.setSize({ width: w, height: Math.round(w * 0.45) });
  }).observe(container);
}
