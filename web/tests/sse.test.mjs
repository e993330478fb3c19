// The event-stream parser of src/sse.ts, fed the way a network delivers:
// in arbitrary pieces. The TypeScript is transpiled here, as Vite would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./transpile.mjs";

const { SseParser } = await load("sse.ts");

// Every event of `text` pushed in pieces of `size` characters.
function parse(text, size = text.length) {
  const parser = new SseParser();
  const events = [];
  for (let i = 0; i < text.length; i += size) {
    events.push(...parser.push(text.slice(i, i + size)));
  }
  return { events, parser };
}

const stream =
  ": heartbeat\n\n" +
  "id: 7\nevent: issued\ndata: {\"id\":\"a/1\"}\n\n" +
  "id: 8\r\nevent: acknowledged\r\ndata: line one\r\ndata:line two\r\n\r\n" +
  "retry: 5000\rid: 9\rdata: x\r\r: a comment after the last event\n";

test("events carry their id, kind and data, whatever the line ends", () => {
  assert.deepEqual(parse(stream).events, [
    { id: "7", event: "issued", data: '{"id":"a/1"}' },
    { id: "8", event: "acknowledged", data: "line one\nline two" },
    { id: "9", event: "message", data: "x" },
  ]);
});

test("pieces split anywhere, even inside a CRLF, give the same events", () => {
  const whole = parse(stream).events;
  for (const size of [1, 2, 3, 5, 8, 13]) {
    assert.deepEqual(parse(stream, size).events, whole, `pieces of ${size}`);
  }
});

test("the last event id and the retry interval are remembered for reconnecting", () => {
  const { parser } = parse(stream);
  assert.equal(parser.lastEventId, "9");
  assert.equal(parser.retryMs, 5000);
});

test("an event is not dispatched before its blank line, nor without data", () => {
  assert.deepEqual(parse("id: 1\nevent: issued\n\n").events, []);
  assert.deepEqual(parse("data: half").events, []);
  assert.equal(parse("id: 1\nevent: issued\n\n").parser.lastEventId, "1");
});
