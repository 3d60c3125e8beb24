import { describe, expect, it } from "vitest";
import { fieldsWithout } from "../../src/slack-api/answer-fields.ts";

const bytes = (text: string) => Buffer.from(text, "utf8");

function without(value: Record<string, unknown>, key: string) {
  const { [key]: _gone, ...rest } = value;
  return rest;
}

describe("fieldsWithout: a Web API answer's top-level fields but one", () => {
  it("reads every other field, nested values included, and never the skipped one", () => {
    const answer = {
      ok: true,
      channel: "C1",
      ts: "1700000000.000100",
      message: { text: "hi", blocks: [{ type: "section", text: { type: "mrkdwn", text: "x" } }] },
      response_metadata: { warnings: ["missing_charset"] },
      n: -1.5e3,
      none: null,
      no: false,
    };
    expect(fieldsWithout(bytes(JSON.stringify(answer)), "message")).toEqual(
      without(answer, "message"),
    );
  });

  it("steps over quotes, backslashes, brackets and non-ASCII inside the skipped value", () => {
    const message = {
      text: 'a "quoted" } ] { [ \\ \\" end\\',
      blocks: [{ t: "}}}]]]" }, { t: "\\\\" }, { t: "日本 — é 🎉" }, []],
      'key with "quote"': { deeper: [[[{}]]] },
    };
    const answer = { ok: true, message, ts: "1.2", after: "é" };
    expect(fieldsWithout(bytes(JSON.stringify(answer)), "message")).toEqual({
      ok: true,
      ts: "1.2",
      after: "é",
    });
  });

  it("reads answers however they are spaced, with a byte order mark, and an empty object", () => {
    const spaced = '\n{ "ok" : true ,\n\t"message" : { "a" : [ 1 , 2 ] } ,\r\n "ts" : "9" }\n';
    expect(fieldsWithout(bytes(spaced), "message")).toEqual({ ok: true, ts: "9" });
    expect(fieldsWithout(bytes(`\uFEFF${JSON.stringify({ ok: false })}`), "message")).toEqual({
      ok: false,
    });
    expect(fieldsWithout(bytes(" {} "), "message")).toEqual({});
    // An escaped key is read as JSON reads it.
    expect(fieldsWithout(bytes('{"m\\u0065ssage":1,"ok":true}'), "message")).toEqual({ ok: true });
  });

  it("matches JSON.parse on answers of many shapes", () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const value = (depth: number): unknown => {
      switch (rand(depth > 2 ? 4 : 6)) {
        case 0:
          return rand(1000) - 500;
        case 1:
          return ["plain", 'q"uote', "back\\slash", "{[", "é—🎉", ""][rand(6)];
        case 2:
          return [true, false, null][rand(3)];
        case 3:
          return rand(10) / 7;
        case 4:
          return Array.from({ length: rand(4) }, () => value(depth + 1));
        default:
          return Object.fromEntries(
            Array.from({ length: rand(4) }, (_, k) => [
              `k${k}${rand(2) ? "}" : ""}`,
              value(depth + 1),
            ]),
          );
      }
    };
    for (let n = 0; n < 300; n++) {
      const answer: Record<string, unknown> = { ok: true };
      for (let k = 0; k < 1 + rand(4); k++) answer[`f${k}`] = value(0);
      if (rand(2)) answer.message = value(0);
      const text = JSON.stringify(answer, null, rand(3) === 0 ? 2 : undefined);
      expect(fieldsWithout(bytes(text), "message")).toEqual(without(answer, "message"));
    }
  });

  it("gives up, for the caller to parse it whole, on anything else", () => {
    for (const text of [
      "",
      "[]",
      '"ok"',
      "null",
      '{"ok":true',
      '{"ok":true,}',
      '{"ok" true}',
      '{"ok":true} x',
      '{"ok":tru}',
      '{"message":{"a":1}',
      '{"ts":"unterminated}',
      "{ok:true}",
      '{"__proto__":{"polluted":true},"ok":true}',
    ]) {
      expect(fieldsWithout(bytes(text), "message"), text).toBeUndefined();
    }
  });
});
