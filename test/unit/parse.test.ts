import { describe, expect, it } from "vitest";
import {
  didYouMean,
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
