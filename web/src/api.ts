import type { Geometry } from "geojson";

// The server's API as the dashboard uses it: every call carries the bearer
// token; errors become ApiError with the server's code and message.

export interface Region {
  code: string;
  name: string;
  parent: string | null;
  geometry: Geometry | null;
}
export interface Indicator {
  id: string;
  name: string;
  domain: string;
  unit: string;
}
export interface Catalogue {
  workspace: string;
  domains: { id: string; name: string }[];
  regions: Region[];
  indicators: Indicator[];
}
export interface Warning {
  id: string;
  key: { domain: string; region: string; hazard: string };
  level: number;
  status: "active" | "cancelled" | "expired";
  issued_at: string;
  changed_at: string;
  agency: string;
  tier: number;
  escalated: boolean;
  acknowledged: boolean;
  acknowledged_by: string;
  ack_deadline: string | null;
  manual: boolean;
}
export interface Evidence {
  source: string;
  detector: number; // index into the indicator's detectors, as signals number them
  level: number;
  at: string;
  period: string;
  score: number | null;
  observed: number | null;
  expected: number | null;
  threshold: number | null;
}
export interface TimelineEvent {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  reason: string;
  warning?: Warning;
  previous_level?: number;
  signals?: Evidence[];
  evidence?: Evidence;
}
export interface WarningDetail {
  warning: Warning;
  timeline: TimelineEvent[];
}
export interface WhoAmI {
  name: string;
  role: string;
  regions: string[];
  domains: string[];
  may: { read: boolean; act: boolean };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// A warning id holds slashes, which stay path separators.
export function warningPath(id: string, action = ""): string {
  const path = `/api/v1/warnings/${id.split("/").map(encodeURIComponent).join("/")}`;
  return action ? `${path}/${action}` : path;
}

export class Api {
  constructor(readonly token: string) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, ...extra };
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(path, {
      ...init,
      headers: this.headers(init.headers as Record<string, string>),
    });
    if (!response.ok) {
      throw await errorOf(response);
    }
    return response;
  }

  async get<T>(path: string): Promise<T> {
    return (await this.request(path)).json() as Promise<T>;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const response = await this.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return response.json() as Promise<T>;
  }

  async text(path: string): Promise<string> {
    return (await this.request(path)).text();
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = await response.json();
    return new ApiError(response.status, body.error.code, body.error.message);
  } catch {
    return new ApiError(response.status, "http", `${response.status} ${response.statusText}`);
  }
}

// The routes the server offers, from its public OpenAPI document, as
// "get /api/v1/events"; routes still to come are simply absent.
export async function availableRoutes(): Promise<Set<string>> {
  const routes = new Set<string>();
  try {
    const response = await fetch("/api/v1/openapi.json");
    const doc = await response.json();
    for (const [path, methods] of Object.entries(doc.paths ?? {})) {
      for (const method of Object.keys(methods as object)) {
        routes.add(`${method} ${path}`);
      }
    }
  } catch {
    // Without the document every optional route counts as absent.
  }
  return routes;
}
