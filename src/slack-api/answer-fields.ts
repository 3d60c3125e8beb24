/**
 * A Web API answer read from its bytes without one of its top-level fields. chat.postMessage
 * and chat.update answer with the whole message echoed back, blocks included, which a card
 * never reads: as a string and then parsed, the echo was ~15 KB of a card's ~50 KB of
 * garbage that outlived a young-generation collection in a burst (issue 18), since a post's
 * answer waits behind the other cards' work. Here only the other fields become strings.
 *
 * Only the top level is scanned; a skipped value is stepped over by its brackets and quotes.
 * Anything this scan does not expect returns undefined, and the caller parses the whole text.
 * (src/slack/fetch.ts drops the same echo for Bolt's Web API client by parsing the whole
 * answer: it hands the answer on as text, and keeps anything without a top-level echo as sent.)
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** The answer's top-level fields but `skip`, each parsed alone; undefined if unexpected. */
export function fieldsWithout(bytes: Buffer, skip: string): Record<string, unknown> | undefined {
  let i = skipSpace(bytes, hasBom(bytes) ? 3 : 0);
  if (bytes[i] !== OPEN_OBJECT) return undefined;
  const out: Record<string, unknown> = {};
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_OBJECT) return end(bytes, i, out);
  try {
    for (;;) {
      if (bytes[i] !== QUOTE) return undefined;
      const keyEnd = stringEnd(bytes, i);
      if (keyEnd < 0) return undefined;
      const key = JSON.parse(bytes.toString("utf8", i, keyEnd)) as string;
      // Assigning it would set the object's prototype, not a field.
      if (key === "__proto__") return undefined;
      i = skipSpace(bytes, keyEnd);
      if (bytes[i] !== COLON) return undefined;
      i = skipSpace(bytes, i + 1);
      const valueEnd = valueEndAt(bytes, i);
      if (valueEnd <= i) return undefined;
      if (key !== skip) out[key] = JSON.parse(bytes.toString("utf8", i, valueEnd));
      i = skipSpace(bytes, valueEnd);
      if (bytes[i] === CLOSE_OBJECT) return end(bytes, i, out);
      if (bytes[i] !== COMMA) return undefined;
      i = skipSpace(bytes, i + 1);
    }
  } catch {
    return undefined;
  }
}

function end(bytes: Buffer, close: number, out: Record<string, unknown>) {
  return skipSpace(bytes, close + 1) === bytes.length ? out : undefined;
}

function hasBom(b: Buffer): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(b: Buffer, i: number): number {
  while (i < b.length && isSpace(b[i])) i++;
  return i;
}

/** Just past the string whose opening quote is at `i`, or -1. */
function stringEnd(b: Buffer, i: number): number {
  let at = i + 1;
  for (;;) {
    const quote = b.indexOf(QUOTE, at);
    if (quote < 0) return -1;
    let slashes = 0;
    while (b[quote - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/** Just past the value starting at `i` (its syntax left to JSON.parse), or -1. */
function valueEndAt(b: Buffer, i: number): number {
  const first = b[i];
  if (first === QUOTE) return stringEnd(b, i);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    while (i < b.length && b[i] !== COMMA && b[i] !== CLOSE_OBJECT && !isSpace(b[i])) i++;
    return i;
  }
  let depth = 0;
  while (i < b.length) {
    const c = b[i];
    if (c === QUOTE) {
      i = stringEnd(b, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}
