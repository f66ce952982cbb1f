import { describe, expect, it } from "vitest";
import { applyMove, neighbour, placementForDrop, placementToRestore } from "./order";

const rows = [
  { id: "p1", pinned: true },
  { id: "p2", pinned: true },
  { id: "a", pinned: false },
  { id: "b", pinned: false },
  { id: "c", pinned: false },
];
const ids = (r: { id: string }[]) => r.map((x) => x.id).join(",");

describe("applyMove", () => {
  it("moves after and before a neighbour", () => {
    expect(ids(applyMove(rows, "a", { to: "after", id: "b" }))).toBe("p1,p2,b,a,c");
    expect(ids(applyMove(rows, "c", { to: "before", id: "a" }))).toBe("p1,p2,c,a,b");
  });
  it("moves to the top and bottom of the entry's own group", () => {
    expect(ids(applyMove(rows, "c", { to: "top" }))).toBe("p1,p2,c,a,b");
    expect(ids(applyMove(rows, "p1", { to: "bottom" }))).toBe("p2,p1,a,b,c");
    expect(ids(applyMove(rows, "p2", { to: "top" }))).toBe("p2,p1,a,b,c");
    expect(ids(applyMove(rows, "a", { to: "bottom" }))).toBe("p1,p2,b,c,a");
  });
  it("leaves rows alone for unknown ids", () => {
    expect(applyMove(rows, "zz", { to: "top" })).toBe(rows);
    expect(applyMove(rows, "a", { to: "after", id: "zz" })).toBe(rows);
  });
});

describe("neighbours and restoring", () => {
  it("finds neighbours only within the group", () => {
    expect(neighbour(rows, "a", -1)).toBeNull();
    expect(neighbour(rows, "p2", 1)).toBeNull();
    expect(neighbour(rows, "a", 1)?.id).toBe("b");
  });
  it("restores a position by one placement", () => {
    expect(placementToRestore(rows, "a")).toEqual({ to: "before", id: "b" });
    expect(placementToRestore(rows, "c")).toEqual({ to: "after", id: "b" });
    expect(placementToRestore([{ id: "x", pinned: false }], "x")).toEqual({ to: "top" });
    const moved = applyMove(rows, "a", { to: "after", id: "c" });
    expect(ids(applyMove(moved, "a", placementToRestore(rows, "a")))).toBe(ids(rows));
  });
  it("turns a drop into one placement and refuses cross-group drops", () => {
    expect(placementForDrop(rows, 2, 4)).toEqual({ to: "after", id: "c" });
    expect(placementForDrop(rows, 4, 2)).toEqual({ to: "before", id: "a" });
    expect(placementForDrop(rows, 2, 2)).toBeNull();
    expect(placementForDrop(rows, 2, 1)).toBeNull();
  });
});
