import { describe, expect, it } from "vitest";
import { splitRounds } from "../../bench/acks.ts";

describe("the bench splits a phase's requests into rounds", () => {
  it("keeps every request and evens the rounds out", () => {
    expect(splitRounds(4000, 4)).toEqual([1000, 1000, 1000, 1000]);
    expect(splitRounds(300, 4)).toEqual([75, 75, 75, 75]);
    expect(splitRounds(10, 4)).toEqual([3, 3, 2, 2]);
  });

  it("drops empty rounds when there are fewer requests than rounds", () => {
    expect(splitRounds(2, 4)).toEqual([1, 1]);
    expect(splitRounds(0, 4)).toEqual([]);
  });
});
