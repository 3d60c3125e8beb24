/** A field's guidance (HTML from Tallyfy's editor, or light markdown) as a plain-text hint. Pure. */
import { plainLine } from "../text.ts";

export const HINT_MAX = 2000;

const HAS_TAG = /<\/?[a-z][^>]*>/i;

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: " ",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  amp: "&",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X"
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function stripHtml(html: string): string {
  const text = html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<li\b[^>]*>/gi, " • ")
    .replace(/<(br|\/p|\/div|\/li|\/h[1-6])\b[^>]*>/gi, " ")
    .replace(/<[^>]*>/g, "");
  return decodeEntities(text);
}

/** Paired emphasis, code ticks, headings and [text](url) links; single * and _ are left alone. */
function stripMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((\S+?)\)/g, "$1 ($2)")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/^\s{0,3}#{1,6}\s+/gm, "");
}

/** The guidance as one plain line of at most HINT_MAX characters; undefined when blank. */
export function guidanceHint(guidance: string | null | undefined): string | undefined {
  if (!guidance?.trim()) return undefined;
  const text = stripMarkdown(HAS_TAG.test(guidance) ? stripHtml(guidance) : guidance);
  return plainLine(text, HINT_MAX) || undefined;
}
