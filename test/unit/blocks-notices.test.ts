import { describe, expect, it } from "vitest";
import { renderNotice, tallyfyErrorText } from "../../src/blocks/notices.ts";
import {
  TallyfyAuthError,
  TallyfyBadRequestError,
  TallyfyConflictError,
  TallyfyError,
  TallyfyForbiddenError,
  TallyfyNetworkError,
  TallyfyNotFoundError,
  TallyfyRateLimitError,
  TallyfyServerError,
  TallyfyTimeoutError,
  TallyfyUnexpectedResponseError,
  TallyfyValidationError,
} from "../../src/tallyfy/errors.ts";
import { assertBlockKit } from "../support/block-limits.ts";

describe("renderNotice", () => {
  it("prefixes an icon per kind and keeps the text as the fallback", () => {
    const icons = new Set<string>();
    for (const kind of ["error", "warning", "info", "success"] as const) {
      const n = renderNotice(kind, "Done `x`.");
      assertBlockKit({ type: "message", ...n });
      expect(n.text).toBe("Done `x`.");
      const section = n.blocks[0]!;
      const text = section.type === "section" ? section.text!.text : "";
      expect(text).toMatch(/^:[a-z_]+: Done `x`\.$/);
      icons.add(text.split(" ")[0]!);
    }
    expect(icons.size).toBe(4);
  });

  it("escapes the detail line and bounds long text", () => {
    const n = renderNotice("error", "y".repeat(5000), { detail: `<!channel> ${"d".repeat(5000)}` });
    assertBlockKit({ type: "message", ...n });
    expect(JSON.stringify(n.blocks[1])).toContain("&lt;!channel&gt;");
    expect(renderNotice("info", "   ").text).not.toBe("");
  });
});

describe("tallyfyErrorText", () => {
  const noJunk = (s: string) => {
    expect(s).not.toMatch(/undefined|null|\n\s+at |[{}]/);
    expect(s.length).toBeGreaterThan(10);
  };

  it("not found names the process, escaped", () => {
    const s = tallyfyErrorText(new TallyfyNotFoundError({ status: 404 }), {
      runRef: "abc<!channel>`",
    });
    expect(s).toBe("I couldn't find process `abc&lt;!channel&gt;'` — check the id or your access.");
    expect(tallyfyErrorText(new TallyfyNotFoundError())).toContain("couldn't find that");
  });

  it("forbidden, authentication and rate limiting read as sentences", () => {
    const forbidden = tallyfyErrorText(new TallyfyForbiddenError(), { runRef: "r1" });
    expect(forbidden).toContain("permission");
    expect(forbidden).toContain("`r1`");
    expect(tallyfyErrorText(new TallyfyAuthError())).toContain(
      "Use `/tallyfy connect` to reconnect.",
    );
    expect(tallyfyErrorText(new TallyfyRateLimitError(7.2))).toBe(
      "Tallyfy is busy, try again in 8 s.",
    );
    expect(tallyfyErrorText(new TallyfyError("rate_limited", "busy"))).toBe(
      "Tallyfy is busy, try again in a moment.",
    );
  });

  it("server, timeout and network say whether anything changed", () => {
    for (const E of [TallyfyServerError, TallyfyTimeoutError, TallyfyNetworkError]) {
      const maybe = tallyfyErrorText(new E({ mayHaveApplied: true }));
      const safe = tallyfyErrorText(new E({ mayHaveApplied: false }));
      expect(maybe).toMatch(/Refresh to check/);
      expect(safe).toMatch(/nothing was changed/);
      noJunk(maybe);
      noJunk(safe);
    }
  });

  it("validation, bad request and conflict carry Tallyfy's own message, escaped", () => {
    expect(
      tallyfyErrorText(
        new TallyfyValidationError({ tallyfyMessage: "Name must be < 550 & unique" }),
      ),
    ).toBe("Tallyfy didn't accept that: Name must be &lt; 550 &amp; unique.");
    expect(
      tallyfyErrorText(
        new TallyfyValidationError({ fieldErrors: { name: ["The name is required."] } }),
      ),
    ).toBe("Tallyfy didn't accept that: The name is required.");
    // Laravel's generic top-level message says nothing; the field errors say what was wrong.
    const laravel = tallyfyErrorText(
      new TallyfyValidationError({
        tallyfyMessage: "The given data was invalid.",
        fieldErrors: {
          name: ["The name may not be greater than 550 characters."],
          "tags.0": ["The selected tags.0 is <invalid>."],
        },
      }),
    );
    expect(laravel).toBe(
      "Tallyfy didn't accept that: The name may not be greater than 550 characters. The selected tags.0 is &lt;invalid&gt;.",
    );
    expect(
      tallyfyErrorText(new TallyfyBadRequestError({ tallyfyMessage: "Process is archived" })),
    ).toBe("Tallyfy refused: Process is archived.");
    expect(tallyfyErrorText(new TallyfyBadRequestError())).toBe(
      "Tallyfy couldn't do that in the process's current state.",
    );
    expect(tallyfyErrorText(new TallyfyConflictError({ code: "X1" }))).toContain("Refresh");
  });

  it("never shows raw JSON, a stack or undefined", () => {
    const json = '{"error":{"code":"E","message":"x"}}';
    for (const err of [
      new TallyfyBadRequestError({ tallyfyMessage: json }),
      new TallyfyValidationError({ tallyfyMessage: json }),
      new TallyfyConflictError({ tallyfyMessage: "[1,2]" }),
      new TallyfyUnexpectedResponseError('{"bad":true}', { mayHaveApplied: true }),
      new TallyfyUnexpectedResponseError("zod: data.id expected string"),
      new TallyfyBadRequestError({ tallyfyMessage: "undefined" }),
    ]) {
      const s = tallyfyErrorText(err);
      noJunk(s);
      expect(s).not.toContain("zod");
    }
  });
});
