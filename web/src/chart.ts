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
  lower: number | null;
  upper: number | null;
  alarm: boolean;
}

type Json = Record<string, unknown>;

function num(row: Json, ...names: string[]): number | null {
  for (const name of names) {
    if (typeof row[name] === "number") {
      return row[name] as number;
    }
  }
  return null;
}

function timeOf(row: Json): number | null {
  const text = row.period ?? row.at ?? row.time;
  return typeof text === "string" ? parseEventTime(text) : null;
}

// One row per period, whether the server answers with rows that carry
// everything or with observations and signals listed apart.
export function seriesRows(body: Json): SeriesRow[] {
  const rows = new Map<number, SeriesRow>();
  const rowAt = (t: number): SeriesRow => {
    let row = rows.get(t);
    if (!row) {
      row = { t, observed: null, expected: null, lower: null, upper: null, alarm: false };
      rows.set(t, row);
    }
    return row;
  };
  for (const list of [body.points, body.observations]) {
    for (const item of Array.isArray(list) ? (list as Json[]) : []) {
      const t = timeOf(item);
      if (t !== null) {
        const row = rowAt(t);
        row.observed = num(item, "observed", "value") ?? row.observed;
        row.expected = num(item, "expected") ?? row.expected;
        row.lower = num(item, "lower", "threshold_lower") ?? row.lower;
        row.upper = num(item, "upper", "threshold", "threshold_upper") ?? row.upper;
        row.alarm = row.alarm || item.alarm === true || (num(item, "level") ?? 0) > 0;
      }
    }
  }
  for (const item of Array.isArray(body.signals) ? (body.signals as Json[]) : []) {
    const t = timeOf(item);
    if (t !== null) {
      const row = rowAt(t);
      row.observed ??= num(item, "observed");
      row.expected = num(item, "expected") ?? row.expected;
      row.upper = num(item, "upperbound", "threshold", "upper") ?? row.upper;
      row.alarm = row.alarm || item.alarm === true || (num(item, "level") ?? 0) > 0;
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
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
): Promise<void> {
  if (!available) {
    message(container, "No series data: this server does not offer series yet.");
    return;
  }
  let rows: SeriesRow[];
  try {
    const query = new URLSearchParams({ indicator, region });
    rows = seriesRows(await api.get<Json>(`/api/v1/series?${query}`));
  } catch (error) {
    const text = error instanceof ApiError && error.status === 404 ? "this server does not offer series yet" : String((error as Error).message);
    message(container, `No series data: ${text}.`);
    return;
  }
  if (rows.length === 0) {
    message(container, `No series data for ${indicator} in ${region}.`);
    return;
  }
  draw(container, rows);
}

function draw(container: HTMLElement, rows: SeriesRow[]): void {
  container.replaceChildren();
  const data: uPlot.AlignedData = [
    rows.map((r) => r.t),
    rows.map((r) => r.observed),
    rows.map((r) => r.expected),
    rows.map((r) => r.upper),
    rows.map((r) => r.lower),
    rows.map((r) => (r.alarm ? r.observed ?? r.upper : null)),
  ];
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
        { label: "expected", stroke: "#7fb3ff", dash: [6, 4], width: 1.5 },
        { label: "upper threshold", stroke: "#f07d1a", width: 1 },
        { label: "lower threshold", stroke: "#f07d1a", width: 1 },
        {
          label: "alarm",
          stroke: "#ff5252",
          fill: "#ff5252",
          paths: () => null,
          points: { show: true, size: 9, fill: "#ff5252" },
        },
      ],
      bands: [{ series: [3, 4], fill: "rgba(240, 125, 26, 0.15)" }],
    },
    data,
    container,
  );
  new ResizeObserver(() => {
    const w = Math.max(container.clientWidth, 300);
    plot.setSize({ width: w, height: Math.round(w * 0.45) });
  }).observe(container);
}
