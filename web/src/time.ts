// Times as the API writes them, in each indicator's own form.
// Seconds since the epoch of a time in an indicator's form: an ISO week
// ("2024-W09", its Monday), a month ("2024-03"), a date or RFC 3339.
export function parseEventTime(text: string): number | null {
  const week = /^(\d{4})-W(\d{2})$/.exec(text);
  if (week) {
    // ISO week 1 holds 4 January; weeks start on Monday.
    const jan4 = Date.UTC(Number(week[1]), 0, 4);
    const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86400000;
    return (mondayOfWeek1 + (Number(week[2]) - 1) * 7 * 86400000) / 1000;
  }
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  const ms = month ? Date.UTC(Number(month[1]), Number(month[2]) - 1, 1) : Date.parse(text);
  return Number.isNaN(ms) ? null : ms / 1000;
}
