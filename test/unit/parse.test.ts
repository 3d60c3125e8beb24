import { describe, expect, it } from "vitest";
import {
  type Distance,
  didYouMean,
  editDistance,
  parseCommand,
  parseListArgs,
  parseRunRef,
} from "../../src/features/commands/parse.ts";
import { SUBCOMMAND_TABLE } from "../../src/features/commands/table.ts";

describe("parseCommand", () => {
  it.each([
    ["", "help", ""],
    ["help", "help", ""],
    ["LIST active onboarding", "list", "active onboarding"],
    ["show   abc123 ", "show", "abc123"],
    ["launch Employee Onboarding", "launch", "Employee Onboarding"],
    ["unarchive abc", "activate", "abc"],
  ])("%j -> %s", (text, name, args) => {
    expect(parseCommand(text)).toEqual({ name, args });
  });

  it("reports an unknown word with a did-you-mean when close", () => {
    expect(parseCommand("lsit active")).toEqual({
      name: "unknown",
      word: "lsit",
      suggestion: "list",
    });
    expect(parseCommand("archiv x")).toMatchObject({ suggestion: "archive" });
    expect(parseCommand("frobnicate")).toEqual({
      name: "unknown",
      word: "frobnicate",
      suggestion: undefined,
    });
  });

  it("keeps the original casing of the unknown word for the reply", () => {
    expect(parseCommand("Frobnicate now")).toMatchObject({ word: "Frobnicate" });
  });
});

describe("didYouMean", () => {
  it("suggests by edit distance or prefix, not for far words", () => {
    expect(didYouMean("shwo")).toBe("show");
    expect(didYouMean("activ")).toBe("activate");
    expect(didYouMean("laun")).toBe("launch");
    expect(didYouMean("zzzz")).toBeUndefined();
  });

  /** The distance function, recording the strings it is asked to compare. */
  function counting() {
    const calls: [string, string, number][] = [];
    const distance: Distance = (a, b, max) => {
      calls.push([a, b, max]);
      return editDistance(a, b, max);
    };
    return { calls, distance };
  }

  it("bounds the work by the word's length: a pasted 40,000-character word is never compared", () => {
    const typo = counting();
    expect(didYouMean("lsit", typo.distance)).toBe("list");
    expect(typo.calls.length).toBe(SUBCOMMAND_TABLE.length);

    const pasted = counting();
    expect(didYouMean("x".repeat(40_000), pasted.distance)).toBeUndefined();
    expect(didYouMean("list".repeat(10_000), pasted.distance)).toBeUndefined();
    expect(pasted.calls).toEqual([]);

    const longest = counting();
    didYouMean("a".repeat(32), longest.distance);
    const lengths = longest.calls.flatMap(([a, b]) => [a.length, b.length]);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(32);
    expect(longest.calls.every(([, , max]) => max <= 2)).toBe(true);
  });

  it("parses a 40,000-character command word without a suggestion, echoing it whole to the caller", () => {
    const word = "y".repeat(40_000);
    expect(parseCommand(`${word} and more`)).toEqual({
      name: "unknown",
      word,
      suggestion: undefined,
    });
  });
});

/** Optimal string alignment distance, the whole table: what editDistance must agree with. */
function fullDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

describe("editDistance", () => {
  it("is exact up to `max` and says `max + 1` beyond it", () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const word = () => Array.from({ length: rand(9) }, () => "abcst"[rand(5)]).join("");
    for (let k = 0; k < 3000; k++) {
      const [a, b, max] = [word(), word(), rand(4)];
      expect(editDistance(a, b, max), `${a} ${b} ${max}`).toBe(
        Math.min(fullDistance(a, b), max + 1),
      );
    }
    expect(editDistance("lsit", "list", 1)).toBe(1);
    expect(editDistance("x".repeat(40), "list", 2)).toBe(3);
  });
});

describe("parseRunRef", () => {
  const id = "3f2a9c0d4b5e6f708192a3b4c5d6e7f8";
  it.each([
    [id, id],
    [`https://go.tallyfy.com/acme/processes/${id}`, id],
    [`https://go.tallyfy.com/acme/processes/${id}/tasks?x=1`, id],
    [`<https://go.tallyfy.com/acme/processes/${id}>`, id],
    [`<https://go.tallyfy.com/acme/processes/${id}|My process>`, id],
    [`http://127.0.0.1:4010/org1/runs/${id}`, id],
  ])("reads %s", (input, expected) => {
    expect(parseRunRef(input)).toEqual({ ok: true, runId: expected });
  });

  it.each([
    "",
    "two words",
    "https://go.tallyfy.com/acme/templates",
    "ftp://x/y/processes/abc",
    "<!channel>",
  ])("rejects %j", (input) => {
    expect(parseRunRef(input)).toEqual({ ok: false, input: input.trim() });
  });
});

describe("parseListArgs", () => {
  it("reads status, mine and search words", () => {
    expect(parseListArgs("")).toEqual({ status: undefined, mine: false, q: undefined });
    expect(parseListArgs("archived")).toEqual({ status: "archived", mine: false, q: undefined });
    expect(parseListArgs("mine active onboarding acme")).toEqual({
      status: "active",
      mine: true,
      q: "onboarding acme",
    });
    expect(parseListArgs("completed")).toMatchObject({ status: "complete" });
    expect(parseListArgs("onboarding active")).toEqual({
      status: undefined,
      mine: false,
      q: "onboarding active",
    });
  });

  it("bounds the search text", () => {
    expect(parseListArgs("x".repeat(500)).q).toHaveLength(200);
  });
});

describe("Slack's escaping of typed text", () => {
  it("is undone before parsing", () => {
    expect(parseCommand("list R&amp;D &lt;ops&gt;")).toEqual({ name: "list", args: "R&D <ops>" });
  });
});

describe("the subcommand table", () => {
  it("parses every name and alias to its subcommand, and claims no word twice", () => {
    const words = SUBCOMMAND_TABLE.flatMap((c) => [c.name, ...c.aliases]);
    expect(new Set(words).size).toBe(words.length);
    for (const c of SUBCOMMAND_TABLE) {
      for (const word of [c.name, ...c.aliases].filter(Boolean)) {
        expect(parseCommand(`${word.toUpperCase()} x`)).toEqual({ name: c.name, args: "x" });
      }
    }
  });

  it("never reads a word from Object's prototype as a subcommand", () => {
    expect(parseCommand("constructor")).toMatchObject({ name: "unknown" });
    expect(parseCommand("__proto__ x")).toMatchObject({ name: "unknown" });
  });
});
