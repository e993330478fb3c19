// A parser of text/event-stream (the WHATWG HTML "event stream" format),
// fed as the bytes arrive; self-contained so that it is tested on its own.

export interface ServerEvent {
  id: string;
  event: string;
  data: string;
}

// Fields per line, an event per blank line, comments ignored.
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  lastEventId = "";
  retryMs: number | null = null;

  push(chunk: string): ServerEvent[] {
    this.buffer += chunk;
    // A final '\r' may be the first half of a "\r\n": wait for what follows.
    const held = this.buffer.endsWith("\r") ? 1 : 0;
    const lines = this.buffer.slice(0, this.buffer.length - held).split(/\r\n|\r|\n/);
    this.buffer = (lines.pop() ?? "") + (held ? "\r" : "");
    const out: ServerEvent[] = [];
    for (const line of lines) {
      const dispatched = this.line(line);
      if (dispatched) {
        out.push(dispatched);
      }
    }
    return out;
  }

  private line(line: string): ServerEvent | null {
    if (line === "") {
      const data = this.data.join("\n");
      const event = this.event || "message";
      const had = this.data.length > 0;
      this.data = [];
      this.event = "";
      return had ? { id: this.lastEventId, event, data } : null;
    }
    if (line.startsWith(":")) {
      return null;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }
    if (field === "data") {
      this.data.push(value);
    } else if (field === "event") {
      this.event = value;
    } else if (field === "id" && !value.includes("\0")) {
      this.lastEventId = value;
    } else if (field === "retry" && /^\d+$/.test(value)) {
      this.retryMs = Number(value);
    }
    return null;
  }
}

