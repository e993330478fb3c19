// The dashboard: sign-in, then the map, the warning list and a warning's
// detail, kept current by the event stream or, without it, by polling.
import "./style.css";
import { Api, ApiError, availableRoutes, warningPath } from "./api";
import type { Catalogue, Region, Warning, WarningDetail, WhoAmI } from "./api";
import { showSeries } from "./chart";
import { LiveUpdates, type LiveMode } from "./events";
import { levelBadge } from "./levels";
import { RegionMap } from "./map";
import { deadlineText, evidenceOf, renderDetail, renderList } from "./warnings";

const TOKEN_KEY = "vigil.token";

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function say(id: string, text: string): void {
  byId(id).textContent = text;
}

class Dashboard {
  private map: RegionMap | null = null;
  private live: LiveUpdates | null = null;
  private active: Warning[] = [];
  private selected: string | null = null;
  private actionMessage = ""; // what the last action on the selected warning did
  private detail: WarningDetail | null = null;
  private drilled: string | null = null;
  private refreshTimer: number | undefined;
  private readonly children = new Map<string | null, Region[]>();
  private readonly regions = new Map<string, Region>();

  constructor(
    private readonly api: Api,
    private readonly who: WhoAmI,
    private readonly catalogue: Catalogue,
    private readonly routes: Set<string>,
  ) {
    for (const r of catalogue.regions) {
      this.regions.set(r.code, r);
    }
    for (const r of catalogue.regions) {
      const parent = r.parent && this.regions.has(r.parent) ? r.parent : null;
      this.children.set(parent, [...(this.children.get(parent) ?? []), r]);
    }
  }

  start(): void {
    byId("signin-view").hidden = true;
    byId("board").hidden = false;
    byId("sign-out").hidden = false;
    say("workspace", this.catalogue.workspace);
    const scope = this.who.regions.length ? ` · ${this.who.regions.join(", ")}` : "";
    say("who", `${this.who.name} (${this.who.role}${scope})`);
    this.fillFilters();
    this.map = new RegionMap(byId("map"), this.catalogue.regions, (code) => this.drill(code, true));
    const roots = this.children.get(null) ?? [];
    this.drill(roots.length === 1 ? roots[0].code : null, false);
    this.live = new LiveUpdates(this.api, {
      streamAvailable: this.routes.has("get /api/v1/events"),
      onEvent: () => this.scheduleRefresh(),
      onMode: (mode) => this.showMode(mode),
      poll: () => this.refresh(),
    });
    this.live.start();
    void this.refresh();
    window.setInterval(() => this.tick(), 1000);
  }

  stop(): void {
    this.live?.stop();
    this.map?.remove();
  }

  private showMode(mode: LiveMode): void {
    const live = byId("live");
    live.dataset.mode = mode;
    live.textContent = mode === "live" ? "● live" : "↻ updating every 10 s";
  }

  private fillFilters(): void {
    const form = byId<HTMLFormElement>("filters");
    const domain = form.elements.namedItem("domain") as HTMLSelectElement;
    for (const d of this.catalogue.domains) {
      domain.append(new Option(d.name, d.id));
    }
    const region = form.elements.namedItem("region") as HTMLSelectElement;
    const add = (parent: string | null, depth: number): void => {
      for (const r of this.children.get(parent) ?? []) {
        region.append(new Option(`${"\u00a0\u00a0".repeat(depth)}${r.name}`, r.code));
        add(r.code, depth + 1);
      }
    };
    add(null, 0);
    form.addEventListener("change", () => void this.refresh());
    form.addEventListener("submit", (e) => e.preventDefault());
  }

  private filterQuery(): string {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(byId<HTMLFormElement>("filters"))) {
      if (value) {
        query.set(name, String(value));
      }
    }
    return query.toString();
  }

  // Several events in a burst make one refresh.
  private scheduleRefresh(): void {
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => void this.refresh(), 250);
  }

  async refresh(): Promise<void> {
    try {
      const [active, list] = await Promise.all([
        this.api.get<Warning[]>("/api/v1/warnings"),
        this.api.get<Warning[]>(`/api/v1/warnings?${this.filterQuery()}`),
      ]);
      this.active = active;
      say("list-error", "");
      say("warning-count", `(${list.length})`);
      renderList(byId("warning-list"), list, this.catalogue, this.selected, (id) => void this.open(id));
      this.map?.setLevels(this.levels());
      this.renderRegions();
      if (this.selected) {
        await this.open(this.selected, false);
      }
      this.tick();
    } catch (error) {
      this.failed(error, "list-error");
    }
  }

  private failed(error: unknown, where: string): void {
    if (error instanceof ApiError && error.status === 401) {
      signOut(`Signed out: ${error.message}`);
      return;
    }
    say(where, error instanceof Error ? error.message : String(error));
  }

  // Each region's highest active level, counting the regions beneath it.
  private levels(): Map<string, number> {
    const levels = new Map<string, number>();
    for (const w of this.active) {
      for (let code: string | null = w.key.region; code; code = this.regions.get(code)?.parent ?? null) {
        levels.set(code, Math.max(levels.get(code) ?? 0, w.level));
      }
    }
    return levels;
  }

  private countWithin(code: string): number {
    return this.active.filter((w) => {
      for (let c: string | null = w.key.region; c; c = this.regions.get(c)?.parent ?? null) {
        if (c === code) {
          return true;
        }
      }
      return false;
    }).length;
  }

  private drill(code: string | null, filter: boolean): void {
    this.drilled = code;
    const kids = this.children.get(code) ?? [];
    const here = code ? this.regions.get(code) : undefined;
    const shown = kids.length ? kids : here ? [here] : [];
    this.map?.show(
      shown.map((r) => r.code),
      here ? [here] : shown,
    );
    if (filter) {
      (byId<HTMLFormElement>("filters").elements.namedItem("region") as HTMLSelectElement).value = code ?? "";
      void this.refresh();
    }
    this.renderRegions();
  }

  private renderRegions(): void {
    const crumbs: HTMLElement[] = [];
    for (let code = this.drilled; code; code = this.regions.get(code)?.parent ?? null) {
      const r = this.regions.get(code);
      if (!r) {
        break;
      }
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = r.name;
      b.addEventListener("click", () => this.drill(r.code, true));
      if (code === this.drilled) {
        b.setAttribute("aria-current", "location");
      }
      crumbs.unshift(b);
    }
    byId("crumbs").replaceChildren(...crumbs);
    const levels = this.levels();
    const items = (this.children.get(this.drilled) ?? []).map((r) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.code = r.code;
      const count = this.countWithin(r.code);
      const name = document.createElement("span");
      name.textContent = `${r.name} — ${count} active warning${count === 1 ? "" : "s"}`;
      b.append(levelBadge(levels.get(r.code) ?? 0), name);
      b.addEventListener("click", () => this.drill(r.code, true));
      li.append(b);
      return li;
    });
    byId("region-list").replaceChildren(...items);
  }

  private async open(id: string, chart = true): Promise<void> {
    if (id !== this.selected) {
      this.actionMessage = "";
    }
    this.selected = id;
    for (const row of document.querySelectorAll<HTMLElement>(".warning-row")) {
      row.toggleAttribute("aria-current", row.dataset.id === id);
    }
    try {
      this.detail = await this.api.get<WarningDetail>(warningPath(id));
      this.renderDetail();
      if (chart) {
        this.chooseSeries(this.detail);
      }
    } catch (error) {
      this.failed(error, "action-status");
    }
  }

  private renderDetail(): void {
    if (!this.detail) {
      return;
    }
    renderDetail(byId("detail"), this.detail, this.catalogue, {
      canAct: this.who.may.act,
      canCancel: this.routes.has("post /api/v1/warnings/{id}/cancel"),
      onAck: () => void this.act("ack", "Acknowledged."),
      onCancel: () => {
        if (window.confirm("Cancel this warning?")) {
          void this.act("cancel", "Cancelled.");
        }
      },
      onCap: () => void this.showCap(),
    });
    // The detail is drawn anew on every refresh: what the last action did stays said.
    say("action-status", this.actionMessage);
    this.tick();
  }

  private async act(action: "ack" | "cancel", done: string): Promise<void> {
    if (!this.detail) {
      return;
    }
    try {
      this.detail = await this.api.post<WarningDetail>(warningPath(this.detail.warning.id, action), {
        reason: "from the dashboard",
      });
      this.actionMessage = done;
      this.renderDetail();
      await this.refresh();
    } catch (error) {
      this.failed(error, "action-status");
    }
  }

  // The warning's current CAP message, found through the Atom feed (its
  // identifier carries a sequence number), shown in place.
  private async showCap(): Promise<void> {
    if (!this.detail) {
      return;
    }
    const suffix = `-${this.detail.warning.id.replace(/[^A-Za-z0-9._-]/g, "-")}-`;
    try {
      const feed = new DOMParser().parseFromString(await this.api.text("/cap/feed.atom"), "application/xml");
      const names = [...feed.querySelectorAll("entry > link[rel=alternate]")]
        .map((link) => (link.getAttribute("href") ?? "").split("/").pop() ?? "")
        .filter((name) => name.includes(suffix) && name.endsWith(".xml"));
      if (names.length === 0) {
        say("action-status", "No current CAP message for this warning.");
        return;
      }
      const name = names.sort((a, b) => Number(b.match(/-(\d+)\.xml$/)?.[1]) - Number(a.match(/-(\d+)\.xml$/)?.[1]))[0];
      const xml = await this.api.text(`/cap/${encodeURIComponent(name)}`);
      const details = document.createElement("details");
      details.open = true;
      const summary = document.createElement("summary");
      summary.textContent = `CAP message ${name}`;
      const download = document.createElement("a");
      download.href = URL.createObjectURL(new Blob([xml], { type: "application/cap+xml" }));
      download.download = name;
      download.textContent = "Download";
      const pre = document.createElement("pre");
      pre.textContent = xml;
      details.append(summary, download, pre);
      byId("detail").append(details);
    } catch (error) {
      this.failed(error, "action-status");
    }
  }

  private chooseSeries(detail: WarningDetail): void {
    const select = byId<HTMLSelectElement>("series-indicator");
    const indicators = this.catalogue.indicators.filter((i) => i.domain === detail.warning.key.domain);
    const evidence = evidenceOf(detail);
    select.replaceChildren(...indicators.map((i) => new Option(i.name, i.id, false, i.id === evidence[0]?.source)));
    byId("series-choice").hidden = indicators.length === 0;
    // The chart follows the detector whose signal is the evidence, if any.
    const draw = (): void =>
      void showSeries(byId("chart"), this.api, this.routes.has("get /api/v1/series"), select.value, detail.warning.key.region,
        evidence.find((e) => e.source === select.value)?.detector);
    select.onchange = draw;
    if (select.value) {
      draw();
    }
  }

  // Deadlines count down between refreshes.
  private tick(): void {
    const now = Date.now();
    for (const node of document.querySelectorAll<HTMLElement>("[data-deadline]")) {
      const { text, overdue } = deadlineText(node.dataset.deadline ?? "", now);
      node.textContent = text;
      node.classList.toggle("overdue", overdue);
    }
  }
}

let current: Dashboard | null = null;

function signOut(message = ""): void {
  sessionStorage.removeItem(TOKEN_KEY);
  current?.stop();
  current = null;
  // A fresh page drops every timer and listener the board started.
  if (!byId("board").hidden) {
    sessionStorage.setItem("vigil.message", message);
    window.location.reload();
    return;
  }
  say("signin-error", message);
}

async function signIn(token: string): Promise<void> {
  const api = new Api(token);
  try {
    const routes = await availableRoutes();
    const who: WhoAmI = routes.has("get /api/v1/whoami")
      ? await api.get<WhoAmI>("/api/v1/whoami")
      : { name: "", role: "unknown", regions: [], domains: [], may: { read: true, act: true } };
    const catalogue = await api.get<Catalogue>("/api/v1/catalogue");
    sessionStorage.setItem(TOKEN_KEY, token);
    current = new Dashboard(api, who, catalogue, routes);
    current.start();
  } catch (error) {
    const reason =
      error instanceof ApiError && error.status === 403
        ? "this token may not read warnings"
        : error instanceof Error
          ? error.message
          : String(error);
    signOut(`Not signed in: ${reason}`);
  }
}

byId("signin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = byId<HTMLInputElement>("token");
  void signIn(input.value.trim());
  input.value = "";
});
byId("sign-out").addEventListener("click", () => signOut("Signed out."));
byId("warning-list").addEventListener("keydown", (e) => {
  const rows = [...document.querySelectorAll<HTMLElement>(".warning-row")];
  const at = rows.indexOf(document.activeElement as HTMLElement);
  const step = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
  if (at >= 0 && step && rows[at + step]) {
    e.preventDefault();
    rows[at + step].focus();
  }
});

say("signin-error", sessionStorage.getItem("vigil.message") ?? "");
sessionStorage.removeItem("vigil.message");
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
  void signIn(saved);
} else {
  byId("token").focus();
}
