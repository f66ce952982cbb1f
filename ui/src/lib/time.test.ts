import { describe, expect, it } from "vitest";
import { formatDate, formatTime, fromLocalInput, instantInZone, localToInstant, relativeTime, toLocalInput } from "./time";

describe("times as written", () => {
  it("shows the wall clock of the string, not of this machine", () => {
    expect(formatTime("2026-11-25T14:05:00+09:00")).toBe("14:05");
    expect(formatDate("2026-11-25T23:59:00-08:00")).toBe("25 Nov 2026");
    expect(toLocalInput("2026-03-29T01:30:00+01:00")).toBe("2026-03-29T01:30");
  });
  it("sends datetime-local values as the core's local form", () => {
    expect(fromLocalInput("2026-11-25T14:05")).toBe("2026-11-25 14:05");
    expect(fromLocalInput("")).toBeNull();
  });
  it("says how long ago", () => {
    const now = Date.parse("2026-11-25T14:10:00Z");
    expect(relativeTime("2026-11-25T14:05:00+00:00", now)).toBe("5 min ago");
    expect(relativeTime("2026-11-25T16:05:00+02:00", now)).toBe("5 min ago");
    expect(relativeTime("2026-11-25T12:10:00Z", now)).toBe("2 h ago");
    expect(relativeTime("2026-11-25T14:10:20Z", now)).toBe("just now");
    expect(relativeTime("2026-11-25T14:40:00Z", now)).toBe("in 30 min");
  });
  it("converts local times in a zone, refusing skipped ones", () => {
    expect(localToInstant("2026-07-01 12:00", "Europe/London")).toBe("2026-07-01T12:00:00+01:00");
    expect(localToInstant("2026-01-01 12:00", "Europe/London")).toBe("2026-01-01T12:00:00+00:00");
    expect(localToInstant("2026-03-29 01:30", "Europe/London")).toBeNull();
    expect(instantInZone(Date.parse("2026-11-25T14:05:00Z"), "Asia/Tokyo")).toBe("2026-11-25T23:05:00+09:00");
  });
});
