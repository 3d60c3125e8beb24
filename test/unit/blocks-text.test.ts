import { describe, expect, it } from "vitest";
import { renderStatusCard } from "../../src/blocks/card.ts";
import { renderRunList } from "../../src/blocks/list.ts";
import { escapeMrkdwn, mrkdwnText, plainLine, stripBidi, truncate } from "../../src/blocks/text.ts";
import { makeRun } from "./blocks-fixtures.ts";

/** The first, character-by-character version: the reference the faster one must match. */
function reference(text: string, max: number): string {
  let flat = "";
  for (const ch of text) flat += ch.charCodeAt(0) < 32 || ch === "\u007f" ? " " : ch;
  return truncate(flat.replace(/\s+/g, " ").trim(), max);
}

describe("plainLine", () => {
  it("makes one line: control characters and runs of white space become one space", () => {
    expect(plainLine("  Q3\tonboarding\r\n\u0000for\u007f\u0007 <!channel>  ", 100)).toBe(
      "Q3 onboarding for <!channel>",
    );
    expect(plainLine("a\u00a0\u2028b", 100)).toBe("a b");
  });

  it("keeps characters outside the BMP whole and truncates with an ellipsis", () => {
    expect(plainLine("🚀 launch 🚀", 100)).toBe("🚀 launch 🚀");
    expect(plainLine("abcdefghij", 5)).toBe("abcd…");
    expect(plainLine("", 5)).toBe("");
  });

  it("matches the character-by-character version on random text", () => {
    const alphabet = [
      "a",
      "Z",
      " ",
      "\t",
      "\n",
      "\u0001",
      "\u001f",
      "\u007f",
      "\u00a0",
      "é",
      "🚀",
      "&",
      "<",
    ];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rand() * 30);
      const text = Array.from(
        { length: len },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join("");
      const max = 1 + Math.floor(rand() * 20);
      expect(plainLine(text, max), JSON.stringify(text)).toBe(reference(text, max));
    }
  });
});

describe("bidi controls", () => {
  const BIDI = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
  ];
  const hasBidi = (s: string) => /[\u202a-\u202e\u2066-\u2069]/.test(s);

  it("are removed by every escaping helper, and other text is kept", () => {
    const name = `Invoice ${BIDI.join("")}\u202egpj.exe Ωμέγα עברית 🚀 \u200d`;
    for (const out of [escapeMrkdwn(name), mrkdwnText(name, 500), plainLine(name, 500)]) {
      expect(hasBidi(out)).toBe(false);
      expect(out).toContain("Invoice gpj.exe Ωμέγα עברית 🚀");
    }
    expect(stripBidi("\u2067abc\u2069")).toBe("abc");
  });

  it("never reach a card's name, template, tags, summary or a list row", () => {
    const rlo = "\u202e";
    const run = makeRun({
      name: `${rlo}Onboarding${"\u2066"}`,
      checklist_title: `Tpl${rlo}`,
      summary: `Sum${"\u202b"}mary`,
      tags: [{ id: "t1", title: `urgent${"\u2068"}`, color: null }],
    });
    const card = renderStatusCard(run, { runUrl: "https://t.test/r", now: new Date() });
    const text = JSON.stringify(card);
    expect(text).toContain("Onboarding");
    expect(hasBidi(text)).toBe(false);
    expect(hasBidi(JSON.parse(JSON.stringify(card)).text)).toBe(false);
    const list = renderRunList(
      {
        items: [run],
        pagination: {
          total: 1,
          count: 1,
          perPage: 10,
          currentPage: 1,
          totalPages: 1,
          hasNext: false,
        },
      },
      { state: { page: 1 }, runUrl: () => "https://t.test/r" },
    );
    expect(hasBidi(JSON.stringify(list))).toBe(false);
  });
});
