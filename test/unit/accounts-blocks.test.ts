import { describe, expect, it } from "vitest";
import type { Json } from "../../sandbox/slack/types.ts";
import {
  CONNECT,
  connectDisabledNotice,
  connectedView,
  connectOrgView,
  connectStoppedView,
  connectTokenView,
  decodeConnectMeta,
  encodeConnectMeta,
  orgFromValue,
  renderDisconnected,
  renderWhoami,
} from "../../src/blocks/accounts.ts";
import { ACTION, VIEW } from "../../src/blocks/ids.ts";
import { assertBlockKit } from "../support/block-limits.ts";

const asModal = (v: Json) => ({ type: "modal" as const, ...v, blocks: v.blocks as unknown[] });
const text = (v: unknown) => JSON.stringify(v);
const HOSTILE = "Evil <!channel> & <https://x.test|co>";

describe("connect modal", () => {
  it("step 1 explains where the token lives, links to Tallyfy and has an empty token input", () => {
    const view = connectTokenView({ webUrl: "https://go.tallyfy.com", pendingId: "p1" }) as Json;
    assertBlockKit(asModal(view));
    expect(view.callback_id).toBe(VIEW.connect);
    expect(text(view)).toContain("Settings > Integrations > REST API");
    expect(text(view)).toContain("<https://go.tallyfy.com|Tallyfy>");
    const input = view.blocks.find((b: Json) => b.block_id === CONNECT.tokenBlock);
    expect(input.element).toMatchObject({
      type: "plain_text_input",
      action_id: CONNECT.tokenAction,
    });
    expect(input.element.initial_value).toBeUndefined();
    expect(decodeConnectMeta(view.private_metadata)).toEqual({
      step: "token",
      pendingId: "p1",
      nonce: undefined,
    });
  });

  it("step 1 shows a problem on top when one is given, escaped", () => {
    const view = connectTokenView({ webUrl: "https://go.tallyfy.com", problem: HOSTILE }) as Json;
    expect(text(view.blocks[0])).toContain("&lt;!channel&gt;");
    expect(text(view)).not.toContain("<!channel>");
  });

  it("step 2 lists the organizations (escaped, within limits) and carries only the nonce", () => {
    const orgs = Array.from({ length: 130 }, (_, i) => ({
      id: `org${i}`,
      name: `${HOSTILE} ${"x".repeat(80)} ${i}`,
    }));
    const view = connectOrgView({
      user: { name: HOSTILE, email: "a@x.test" },
      orgs,
      nonce: "n0nce",
      pendingId: "p1",
      preferredOrgId: "org5",
    }) as Json;
    assertBlockKit(asModal(view));
    expect(view.notify_on_close).toBe(true);
    const select = view.blocks.find((b: Json) => b.block_id === CONNECT.orgBlock).element;
    expect(select.options).toHaveLength(100);
    expect(select.options.every((o: Json) => o.text.text.length <= 75)).toBe(true);
    expect(select.initial_option.value).toBe("org5");
    expect(text(view)).not.toContain("<!channel>");
    expect(decodeConnectMeta(view.private_metadata)).toEqual({
      step: "org",
      pendingId: "p1",
      nonce: "n0nce",
    });
  });

  it("refers to an org id too long for an option value by its position", () => {
    const long = "o".repeat(200);
    const orgs = [
      { id: "short", name: "Short" },
      { id: long, name: "Long" },
    ];
    const view = connectOrgView({ user: { name: "A", email: null }, orgs, nonce: "n" }) as Json;
    const values = view.blocks
      .find((b: Json) => b.block_id === CONNECT.orgBlock)
      .element.options.map((o: Json) => o.value);
    expect(values).toEqual(["short", "#1"]);
    expect(orgFromValue(orgs, "#1")?.name).toBe("Long");
    expect(orgFromValue(orgs, "short")?.name).toBe("Short");
    expect(orgFromValue(orgs, "#9")).toBeUndefined();
    expect(orgFromValue(orgs, "other")).toBeUndefined();
  });

  it("metadata decoding never throws on foreign input", () => {
    expect(decodeConnectMeta("not json")).toEqual({
      step: "token",
      pendingId: undefined,
      nonce: undefined,
    });
    expect(decodeConnectMeta(undefined).step).toBe("token");
    expect(decodeConnectMeta(encodeConnectMeta({ step: "org", nonce: "n" }))).toEqual({
      step: "org",
      pendingId: undefined,
      nonce: "n",
    });
  });

  it("the success view names the account and the command being carried out", () => {
    const view = connectedView({
      user: { name: HOSTILE, email: "a@x.test" },
      orgName: "Acme",
      orgId: "o1",
      replaying: "list <!here>",
    }) as Json;
    assertBlockKit(asModal(view));
    expect(view.submit).toBeUndefined();
    expect(text(view)).toContain("Acme");
    expect(text(view)).toContain("/tallyfy list &lt;!here&gt;");
    expect(text(view)).not.toContain("<!channel>");
    assertBlockKit(asModal(connectStoppedView() as Json));
  });
});

describe("whoami and disconnect replies", () => {
  it("own account: who, where, since when", () => {
    const msg = renderWhoami({
      kind: "user",
      user: { name: HOSTILE, email: "a@x.test" },
      orgName: "Acme",
      orgId: "o1",
      since: new Date("2025-01-02T03:04:05Z"),
    });
    assertBlockKit({ type: "message", ...msg });
    expect(text(msg.blocks)).toContain("a@x.test");
    expect(text(msg.blocks)).toContain("Acme");
    expect(text(msg.blocks)).toContain("<!date^");
    expect(text(msg)).not.toContain("<!channel>");
  });

  it("workspace connection: who it is, a problem when unknown, Connect when possible", () => {
    const known = renderWhoami({
      kind: "shared",
      user: { name: "Ops Bot", email: "ops@x.test" },
      orgName: "Acme",
      orgId: "o1",
      perUserEnabled: true,
    });
    assertBlockKit({ type: "message", ...known });
    expect(text(known.blocks)).toContain("Ops Bot");
    expect(text(known.blocks)).toContain(ACTION.connect);

    const unknown = renderWhoami({
      kind: "shared",
      orgId: "o1",
      problem: "Can't tell.",
      perUserEnabled: false,
    });
    expect(text(unknown.blocks)).toContain("Can't tell.");
    expect(text(unknown.blocks)).not.toContain(ACTION.connect);
  });

  it("not connected: a Connect (or Reconnect) button", () => {
    const none = renderWhoami({ kind: "none", invalid: false });
    assertBlockKit({ type: "message", ...none });
    expect(text(none.blocks)).toContain("Connect Tallyfy");
    const invalid = renderWhoami({ kind: "none", invalid: true });
    expect(text(invalid.blocks)).toContain("Reconnect Tallyfy");
    expect(invalid.text).toContain("no longer works");
  });

  it("disconnect says what happened and what applies now", () => {
    const removed = renderDisconnected({ removed: true, sharedAllowed: true });
    assertBlockKit({ type: "message", ...removed });
    expect(removed.text).toContain("deleted");
    expect(removed.text).toContain("shared");
    const nothing = renderDisconnected({ removed: false, sharedAllowed: false });
    expect(nothing.text).toContain("nothing to delete");
    expect(nothing.text).toContain("ask you to connect");
  });

  it("connect without an encryption key explains the shared connection", () => {
    expect(connectDisabledNotice({ sharedAllowed: true }).text).toContain(
      "shared Tallyfy connection",
    );
    expect(connectDisabledNotice({ sharedAllowed: false }).text).toContain("TOKEN_ENCRYPTION_KEY");
  });
});
