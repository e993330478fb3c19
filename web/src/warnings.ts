// The warning list and one warning's detail, rendered from the API's JSON.
import type { Catalogue, Evidence, TimelineEvent, Warning, WarningDetail } from "./api";
import { levelBadge, levelName } from "./levels";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text = ""): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

export function formatTime(text: string): string {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString().replace("T", " ").replace(/:\d\d\.\d+Z$/, "Z");
}

function span(seconds: number): string {
  const s = Math.floor(Math.abs(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) {
    return `${d}d ${h}h`;
  }
  if (h > 0) {
    return `${h}h ${String(m).padStart(2, "0")}m`;
  }
  return `${m}m ${String(s % 60).padStart(2, "0")}s`;
}

// "ack due in 12m 03s" or "ack overdue by 5m 00s", as of `now`.
export function deadlineText(deadline: string, now: number): { text: string; overdue: boolean } {
  const left = (Date.parse(deadline) - now) / 1000;
  return left >= 0 ? { text: `ack due in ${span(left)}`, overdue: false } : { text: `ack overdue by ${span(left)}`, overdue: true };
}

// Most severe first; within a level, the oldest first: it has waited longest.
export function sortWarnings(list: Warning[]): Warning[] {
  return [...list].sort((a, b) => b.level - a.level || Date.parse(a.issued_at) - Date.parse(b.issued_at));
}

function regionName(catalogue: Catalogue, code: string): string {
  return catalogue.regions.find((r) => r.code === code)?.name ?? code;
}

export function ackState(w: Warning): HTMLElement {
  const state = el("span", "ack");
  if (w.acknowledged) {
    state.textContent = `acknowledged${w.acknowledged_by ? ` by ${w.acknowledged_by}` : ""}`;
  } else if (w.ack_deadline && w.status === "active") {
    state.dataset.deadline = w.ack_deadline;
  } else {
    state.textContent = w.status === "active" ? "not acknowledged" : "";
  }
  return state;
}

export function renderList(
  target: HTMLElement,
  list: Warning[],
  catalogue: Catalogue,
  selected: string | null,
  onOpen: (id: string) => void,
): void {
  const items = sortWarnings(list).map((w) => {
    const item = el("li");
    const button = el("button", "warning-row");
    button.type = "button";
    button.dataset.id = w.id;
    if (w.id === selected) {
      button.setAttribute("aria-current", "true");
    }
    const title = el("span", "title", `${w.key.hazard} — ${regionName(catalogue, w.key.region)}`);
    const meta = el("span", "meta muted", `${w.key.domain} · ${w.status} · issued ${formatTime(w.issued_at)}`);
    button.append(levelBadge(w.level), title, meta, ackState(w));
    button.addEventListener("click", () => onOpen(w.id));
    item.append(button);
    return item;
  });
  if (items.length === 0) {
    items.push(el("li", "muted", "No warnings match."));
  }
  target.replaceChildren(...items);
}

function evidenceText(e: Evidence): string {
  const parts = [`${e.source} by ${e.detector}: ${levelName(e.level)}`, `period ${formatTime(e.period)}`];
  if (e.observed !== null) {
    parts.push(`observed ${e.observed}`);
  }
  if (e.expected !== null) {
    parts.push(`expected ${e.expected.toFixed(2)}`);
  }
  if (e.threshold !== null) {
    parts.push(`threshold ${e.threshold.toFixed(2)}`);
  }
  if (e.score !== null) {
    parts.push(`score ${e.score.toFixed(2)}`);
  }
  return parts.join(", ");
}

function eventText(e: TimelineEvent): string {
  const parts: string[] = [e.kind];
  if (e.warning && e.previous_level !== undefined && e.previous_level !== e.warning.level) {
    parts.push(`${levelName(e.previous_level)} → ${levelName(e.warning.level)}`);
  }
  if (e.evidence) {
    parts.push(evidenceText(e.evidence));
  }
  if (e.actor) {
    parts.push(`by ${e.actor}`);
  }
  if (e.reason) {
    parts.push(`“${e.reason}”`);
  }
  return parts.join(" · ");
}

// The signals that made the warning what it is: those its events carried,
// the latest per source and detector.
export function evidenceOf(detail: WarningDetail): Evidence[] {
  const latest = new Map<string, Evidence>();
  for (const e of detail.timeline) {
    for (const s of [...(e.signals ?? []), ...(e.evidence ? [e.evidence] : [])]) {
      latest.set(`${s.source}/${s.detector}`, s);
    }
  }
  return [...latest.values()];
}

export interface DetailActions {
  canAct: boolean;
  canCancel: boolean;
  onAck: () => void;
  onCancel: () => void;
  onCap: () => void;
}

export function renderDetail(target: HTMLElement, detail: WarningDetail, catalogue: Catalogue, actions: DetailActions): void {
  const w = detail.warning;
  const head = el("h3", "detail-title");
  head.append(levelBadge(w.level), el("span", "", ` ${w.key.hazard} — ${regionName(catalogue, w.key.region)}`));

  const facts = el("dl", "facts");
  const fact = (name: string, value: string | HTMLElement): void => {
    const dd = el("dd");
    dd.append(value);
    facts.append(el("dt", "", name), dd);
  };
  fact("id", w.id);
  fact("status", w.status);
  fact("domain", w.key.domain);
  fact("issued", formatTime(w.issued_at));
  fact("changed", formatTime(w.changed_at));
  fact("agency", w.agency ? `${w.agency} (tier ${w.tier}${w.escalated ? ", escalated" : ""})` : "—");
  fact("acknowledgement", ackState(w));

  const buttons = el("div", "actions");
  if (actions.canAct && w.status === "active" && !w.acknowledged) {
    const ack = el("button", "primary", "Acknowledge");
    ack.type = "button";
    ack.id = "ack-button";
    ack.addEventListener("click", actions.onAck);
    buttons.append(ack);
  }
  if (actions.canAct && actions.canCancel && w.status === "active") {
    const cancel = el("button", "danger", "Cancel warning");
    cancel.type = "button";
    cancel.addEventListener("click", actions.onCancel);
    buttons.append(cancel);
  }
  const cap = el("button", "", "CAP message");
  cap.type = "button";
  cap.addEventListener("click", actions.onCap);
  buttons.append(cap);
  const status = el("p", "muted");
  status.id = "action-status";
  status.setAttribute("role", "status");

  const why = el("ul", "evidence");
  for (const e of evidenceOf(detail)) {
    why.append(el("li", "", evidenceText(e)));
  }
  if (!why.children.length) {
    why.append(el("li", "muted", w.manual ? "Issued by hand." : "No signal recorded."));
  }

  const timeline = el("ol", "timeline");
  timeline.id = "timeline";
  for (const e of [...detail.timeline].sort((a, b) => a.seq - b.seq)) {
    const item = el("li");
    item.append(el("time", "", formatTime(e.at)), el("span", "", ` ${eventText(e)}`));
    timeline.append(item);
  }
  target.replaceChildren(head, facts, buttons, status, el("h4", "", "Why it fired"), why, el("h4", "", "Timeline"), timeline);
}
