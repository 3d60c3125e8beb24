import { describe, expect, it } from "vitest";
import { plainLine, truncate } from "../../src/blocks/text.ts";

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
