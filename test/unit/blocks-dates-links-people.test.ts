import { utc } from "@date-fns/utc";
import { format } from "date-fns";
import { describe, expect, it } from "vitest";
import { isPast, parseInstant, slackDate, utcLabel } from "../../src/blocks/dates.ts";
import { mrkdwnLink, runUrl, usableUrl } from "../../src/blocks/links.ts";
import { personLabel } from "../../src/blocks/people.ts";
import { truncate } from "../../src/blocks/text.ts";

describe("slackDate", () => {
  it("builds a date token with the epoch and a UTC fallback", () => {
    const epoch = Date.UTC(2026, 10, 22, 14, 5) / 1000;
    expect(slackDate("2026-11-22T14:05:00Z")).toBe(
      `<!date^${epoch}^{date_short_pretty} at {time}|22 Nov 2026, 14:05 UTC>`,
    );
  });

  it("converts offsets to UTC and reads zone-less times as UTC", () => {
    const epoch = Date.UTC(2026, 10, 22, 14, 5) / 1000;
    expect(slackDate("2026-11-22T15:05:00+01:00")).toContain(`^${epoch}^`);
    expect(slackDate("2026-11-22 14:05:00")).toBe(
      `<!date^${epoch}^{date_short_pretty} at {time}|22 Nov 2026, 14:05 UTC>`,
    );
    expect(slackDate("2026-11-22T14:05:00.123456")).toContain(`^${epoch}^`);
  });

  it("shows a bare day without a time", () => {
    const epoch = Date.UTC(2026, 10, 22) / 1000;
    expect(slackDate("2026-11-22")).toBe(`<!date^${epoch}^{date_short_pretty}|22 Nov 2026>`);
  });

  it("takes a custom format but keeps it from breaking out of the token", () => {
    expect(slackDate("2026-11-22T14:05:00Z", "{date_long}")).toMatch(
      /^<!date\^\d+\^\{date_long\}\|/,
    );
    expect(slackDate("2026-11-22T14:05:00Z", "{date}|<x>")).toMatch(
      /^<!date\^\d+\^\{date\}x\|[^|<>]+>$/,
    );
  });

  it("returns escaped text for something that is not a date, and a dash for nothing", () => {
    expect(slackDate("next <!channel> & soon")).toBe("next &lt;!channel&gt; &amp; soon");
    expect(slackDate("x".repeat(500)).length).toBeLessThanOrEqual(100);
    expect(slackDate(null)).toBe("—");
    expect(slackDate("  ")).toBe("—");
  });

  it("utcLabel formats in UTC whatever the process time zone", () => {
    expect(utcLabel(new Date("2026-01-05T23:59:00-05:00"))).toBe("6 Jan 2026, 04:59 UTC");
  });

  it("utcLabel gives a day and a time alike, for every minute, and refuses an invalid date", () => {
    const d = new Date("2026-03-01T08:30:00Z");
    expect(utcLabel(d, true)).toBe("1 Mar 2026");
    expect(utcLabel(d)).toBe("1 Mar 2026, 08:30 UTC");
    expect(utcLabel(d, true)).toBe("1 Mar 2026");
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 5000; i++) {
      const at = new Date(start + i * 60_000);
      const hh = String(at.getUTCHours()).padStart(2, "0");
      const mm = String(at.getUTCMinutes()).padStart(2, "0");
      expect(utcLabel(at)).toBe(`${at.getUTCDate()} Jan 2026, ${hh}:${mm} UTC`);
    }
    expect(() => utcLabel(new Date(Number.NaN))).toThrow(RangeError);
    expect(utcLabel(new Date("2031-12-31T23:05:00Z"))).toBe("31 Dec 2031, 23:05 UTC");
  });

  it("utcLabel says what date-fns's format says, for any instant from year 1 to 9999", () => {
    const from = new Date(Date.UTC(2000, 0, 1)).setUTCFullYear(1);
    const to = Date.UTC(9999, 11, 31, 23, 59);
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 3000; i++) {
      const at = new Date(from + Math.floor(random() * (to - from)));
      expect(utcLabel(at)).toBe(format(at, "d MMM yyyy, HH:mm 'UTC'", { in: utc }));
      expect(utcLabel(at, true)).toBe(format(at, "d MMM yyyy", { in: utc }));
    }
  });
});

describe("parseInstant and isPast", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  it("parses Tallyfy's forms and rejects junk", () => {
    expect(parseInstant("2026-11-22T12:00:00Z")?.toISOString()).toBe("2026-11-22T12:00:00.000Z");
    expect(parseInstant("2026-11-22 12:00")?.toISOString()).toBe("2026-11-22T12:00:00.000Z");
    expect(parseInstant("soon")).toBeUndefined();
    expect(parseInstant(undefined)).toBeUndefined();
  });
  it("treats a bare day as lasting until its end", () => {
    expect(isPast("2026-11-22", now)).toBe(false);
    expect(isPast("2026-11-21", now)).toBe(true);
    expect(isPast("2026-11-22T11:59:59Z", now)).toBe(true);
    expect(isPast("2026-11-22T12:00:01Z", now)).toBe(false);
    expect(isPast("junk", now)).toBe(false);
  });
});

describe("runUrl", () => {
  it("fills the pattern and URL-encodes the ids", () => {
    expect(
      runUrl("{web}/{org}/processes/{run_id}", {
        web: "https://go.tallyfy.com/",
        org: "acme",
        runId: "abc",
      }),
    ).toBe("https://go.tallyfy.com/acme/processes/abc");
    expect(
      runUrl("{web}/{org}/processes/{run_id}?x={run_id}", {
        web: "https://t.example",
        org: "a/b c",
        runId: "r?1&$&",
      }),
    ).toBe("https://t.example/a%2Fb%20c/processes/r%3F1%26%24%26?x=r%3F1%26%24%26");
  });
});

describe("links", () => {
  it("accepts only http(s) URLs within Slack's 3000 characters", () => {
    expect(usableUrl("https://x.example/a|b>c")).toBe("https://x.example/a%7Cb%3Ec");
    expect(usableUrl("javascript:alert(1)")).toBeUndefined();
    expect(usableUrl("not a url")).toBeUndefined();
    expect(usableUrl(`https://x.example/${"a".repeat(3000)}`)).toBeUndefined();
  });
  it("falls back to the label when the URL is unusable", () => {
    expect(mrkdwnLink("https://x.example", "Name")).toBe("<https://x.example|Name>");
    expect(mrkdwnLink("ftp://x", "Name")).toBe("Name");
  });
});

describe("personLabel", () => {
  it("mentions a mapped Slack user, else shows the escaped name, else a dash", () => {
    expect(personLabel({ slackUserId: "U123ABC", name: "Ann" })).toBe("<@U123ABC>");
    expect(personLabel({ slackUserId: "<!channel>", name: "Ann & <b>" })).toBe(
      "Ann &amp; &lt;b&gt;",
    );
    expect(personLabel({ name: "  " })).toBe("—");
    expect(personLabel(undefined)).toBe("—");
    expect(personLabel({ name: "n".repeat(500) }).length).toBeLessThanOrEqual(100);
  });
});

describe("truncate", () => {
  it("never exceeds the limit in UTF-16 units, even with emoji", () => {
    const out = truncate("😀".repeat(50), 75);
    expect(out.length).toBeLessThanOrEqual(75);
    expect(out.endsWith("…")).toBe(true);
    expect(out).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});
