// Live updates from GET /api/v1/events. EventSource cannot send an
// Authorization header, so the stream is read with fetch and parsed by sse.ts;
// when the route is absent or the stream breaks, the page polls instead.
import { Api, ApiError } from "./api";
import { SseParser, type ServerEvent } from "./sse";

export type LiveMode = "live" | "polling";

export interface LiveOptions {
  streamAvailable: boolean;
  onEvent: (event: ServerEvent) => void;
  onMode: (mode: LiveMode) => void;
  poll: () => Promise<void>;
  pollMs?: number;
}

export class LiveUpdates {
  private stopped = false;
  private abort: AbortController | null = null;
  private pollTimer: number | undefined;
  private lastEventId = "";

  constructor(
    private readonly api: Api,
    private readonly options: LiveOptions,
  ) {}

  start(): void {
    if (this.options.streamAvailable) {
      void this.connect(1000);
    } else {
      this.polling();
    }
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    window.clearInterval(this.pollTimer);
  }

  private polling(): void {
    if (this.pollTimer === undefined) {
      this.options.onMode("polling");
      this.pollTimer = window.setInterval(() => void this.options.poll(), this.options.pollMs ?? 10000);
    }
  }

  private async connect(backoffMs: number): Promise<void> {
    const parser = new SseParser();
    parser.lastEventId = this.lastEventId;
    let retryMs = backoffMs;
    try {
      this.abort = new AbortController();
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      if (this.lastEventId) {
        headers["Last-Event-ID"] = this.lastEventId;
      }
      const response = await this.api.request("/api/v1/events", {
        headers,
        signal: this.abort.signal,
        cache: "no-store",
      });
      if (!response.body) {
        throw new Error("no stream");
      }
      window.clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.options.onMode("live");
      // Whatever happened while away is fetched once.
      void this.options.poll();
      retryMs = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        for (const event of parser.push(value)) {
          this.lastEventId = event.id;
          this.options.onEvent(event);
        }
        retryMs = parser.retryMs ?? retryMs;
      }
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
        this.polling();
        return;
      }
    }
    if (this.stopped) {
      return;
    }
    this.polling();
    window.setTimeout(() => void this.connect(Math.min(retryMs * 2, 30000)), retryMs);
  }
}
