// Times: the core sends RFC 3339 in the blog's zone; we show the wall clock
// exactly as written (never converted to the machine's zone).

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export type WallClock = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  offset: string;
};

export function wallClock(s: string): WallClock | null {
  const m = RFC3339.exec(s.trim());
  if (!m) return null;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    offset: m[7] ?? "",
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "14:05" as written in the string. */
export function formatTime(s: string): string {
  const w = wallClock(s);
  return w ? `${pad(w.hour)}:${pad(w.minute)}` : s;
}

/** "25 Nov 2026" as written in the string. */
export function formatDate(s: string): string {
  const w = wallClock(s);
  return w ? `${w.day} ${MONTHS[w.month - 1]} ${w.year}` : "";
}

/** "5 min ago", "in 3 h", "2 days ago"... relative to `now` (ms). */
export function relativeTime(s: string, now: number = Date.now()): string {
  const t = Date.parse(s);
  if (Number.isNaN(t)) return "";
  const diff = Math.round((now - t) / 1000);
  const abs = Math.abs(diff);
  const future = diff < 0;
  let text: string;
  if (abs < 45) return "just now";
  if (abs < 3600) text = `${Math.round(abs / 60)} min`;
  else if (abs < 86400) text = `${Math.round(abs / 3600)} h`;
  else {
    const d = Math.round(abs / 86400);
    text = `${d} day${d === 1 ? "" : "s"}`;
  }
  return future ? `in ${text}` : `${text} ago`;
}

/** RFC 3339 → value for <input type="datetime-local"> ("2026-11-25T14:05"). */
export function toLocalInput(s: string): string {
  const w = wallClock(s);
  return w ? `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}` : "";
}

/** datetime-local value → "YYYY-MM-DD HH:MM" (read by the core in the blog's zone). */
export function fromLocalInput(v: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(v);
  return m ? `${m[1]} ${m[2]}` : null;
}

/** The zone's UTC offset in minutes at instant `utcMs`. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function zoneOffsetMinutes(timeZone: string, utcMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

function offsetString(min: number): string {
  const sign = min < 0 ? "-" : "+";
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** An instant as RFC 3339 in `timeZone`, with that zone's offset. */
export function instantInZone(utcMs: number, timeZone: string): string {
  const off = zoneOffsetMinutes(timeZone, utcMs);
  const d = new Date(utcMs + off * 60000);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${offsetString(off)}`
  );
}

/**
 * "YYYY-MM-DD HH:MM" local in `timeZone` → RFC 3339, or null when the zone
 * skips or repeats that wall time (the core refuses those too).
 */
export function localToInstant(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const candidates = new Set<number>();
  for (const probe of [wall - 86400000, wall, wall + 86400000]) {
    const off = zoneOffsetMinutes(timeZone, probe);
    const utc = wall - off * 60000;
    if (zoneOffsetMinutes(timeZone, utc) === off) candidates.add(utc);
  }
  if (candidates.size !== 1) return null;
  const [utc] = [...candidates];
  return instantInZone(utc!, timeZone);
}

export function systemTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

export function allTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    const list = intl.supportedValuesOf?.("timeZone");
    if (list && list.length) return list.includes("UTC") ? list : ["UTC", ...list];
  } catch {
    /* older engines */
  }
  return ["UTC", "Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo"];
}
