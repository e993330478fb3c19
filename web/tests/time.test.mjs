// Event times in each indicator's form, as the chart places them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./transpile.mjs";

const { parseEventTime } = await load("time.ts");
const at = (iso) => Date.parse(iso) / 1000;

test("an ISO week is its Monday, week 1 being the one that holds 4 January", () => {
  assert.equal(parseEventTime("2024-W09"), at("2024-02-26T00:00:00Z"));
  assert.equal(parseEventTime("2021-W01"), at("2021-01-04T00:00:00Z"));
  assert.equal(parseEventTime("2020-W53"), at("2020-12-28T00:00:00Z"));
  assert.equal(parseEventTime("2025-W01"), at("2024-12-30T00:00:00Z"));
});

test("months, dates and RFC 3339 times", () => {
  assert.equal(parseEventTime("2024-03"), at("2024-03-01T00:00:00Z"));
  assert.equal(parseEventTime("2024-03-05"), at("2024-03-05T00:00:00Z"));
  assert.equal(parseEventTime("2024-03-05T10:30:00+02:00"), at("2024-03-05T08:30:00Z"));
});

test("anything else is no time", () => {
  assert.equal(parseEventTime("last week"), null);
});
