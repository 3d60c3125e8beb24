import { describe, expect, it } from "vitest";
import { SUBCOMMANDS } from "../../src/features/commands/table.ts";
import { helpMessage } from "../../src/features/help/flow.ts";
import { assertBlockKit } from "../support/block-limits.ts";

describe("renderHelp", () => {
  it("lists every subcommand with how to use it", () => {
    const help = helpMessage();
    assertBlockKit({ type: "message", ...help });
    const json = JSON.stringify(help.blocks);
    for (const cmd of SUBCOMMANDS) expect(json).toContain(`/tallyfy ${cmd}`);
    for (const usage of [
      "launch [template]",
      "list [status] [words]",
      "show &lt;id|url&gt;",
      "edit &lt;id|url&gt;",
      "archive &lt;id|url&gt;",
      "activate &lt;id|url&gt;",
    ]) {
      expect(json).toContain(`/tallyfy ${usage}`);
    }
    for (const word of ["active", "problem", "delayed", "complete", "archived", "mine"]) {
      expect(json).toContain(`\`${word}\``);
    }
    expect(json).not.toMatch(/<id\|url>/);
    expect(help.text).toContain("/tallyfy");
    expect(help.blocks[0]?.type).toBe("header");
  });

  it("names an unknown command, escaped, and suggests the closest one", () => {
    const help = helpMessage({ unknown: "frobnicate", suggestion: "list" });
    assertBlockKit({ type: "message", ...help });
    const first = JSON.stringify(help.blocks[0]);
    expect(first).toContain("Unknown command `frobnicate`.");
    expect(first).toContain("Did you mean `list`?");
    expect(help.text).toContain("Did you mean `list`?");
    expect(help.blocks.some((b) => b.type === "header")).toBe(true);
  });

  it("keeps hostile input inert and inside its code span", () => {
    const help = helpMessage({
      unknown: `<!channel>\`x\` & ${"z".repeat(300)}`,
      suggestion: undefined,
    });
    assertBlockKit({ type: "message", ...help });
    const first = JSON.stringify(help.blocks[0]);
    expect(JSON.stringify(help)).not.toContain("<!channel>");
    expect(first).toContain("`&lt;!channel&gt;'x' &amp; z");
    expect(first).not.toContain("Did you mean");
  });
});
