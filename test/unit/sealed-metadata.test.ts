import { describe, expect, it } from "vitest";
import { VIEW } from "../../src/blocks/ids.ts";
import { encodeEditMeta } from "../../src/blocks/modals/edit-views.ts";
import { METADATA_MAX } from "../../src/blocks/modals/modal.ts";
import {
  metadataKey,
  SEAL_OVERHEAD,
  seal,
  sealView,
  unseal,
} from "../../src/slack/sealed-metadata.ts";

const key = metadataKey("signing-secret-one");
const scope = { form: VIEW.edit, userId: "U0ALICE" };
const json = JSON.stringify({ r: "a".repeat(32), o: { c: "C0OPS", ts: "1700000000.000100" } });

describe("sealed private_metadata", () => {
  it("round-trips the bot's own metadata, adding exactly SEAL_OVERHEAD characters", () => {
    const sealed = seal(key, scope, json);
    expect(sealed.length - json.length).toBe(SEAL_OVERHEAD);
    expect(unseal(key, scope, sealed)).toBe(json);
    expect(JSON.parse(sealed).r).toBe("a".repeat(32));
    expect(unseal(key, scope, seal(key, scope, "{}"))).toBe("{}");
  });

  it("refuses altered, unsigned, foreign-key, other-person and other-form metadata", () => {
    const sealed = seal(key, scope, json);
    const { "~": tag, ...meta } = JSON.parse(sealed);
    const altered = JSON.stringify({ ...meta, o: { c: "C0OTHER", ts: "1.2" }, "~": tag });
    expect(unseal(key, scope, altered)).toBeUndefined();
    expect(unseal(key, scope, json)).toBeUndefined();
    expect(unseal(key, scope, sealed.replace(/"\}$/, 'A"}'))).toBeUndefined();
    expect(unseal(metadataKey("signing-secret-two"), scope, sealed)).toBeUndefined();
    expect(unseal(key, { ...scope, userId: "U0BOB" }, sealed)).toBeUndefined();
    expect(unseal(key, { ...scope, form: VIEW.launch }, sealed)).toBeUndefined();
    expect(unseal(key, scope, undefined)).toBeUndefined();
    expect(unseal(key, scope, `{"~":"${tag}"}`)).toBeUndefined();
  });

  it("sealView seals once, keeps a valid seal and never signs a broken one", () => {
    const view = {
      type: "modal" as const,
      callback_id: VIEW.edit,
      title: { type: "plain_text" as const, text: "x" },
      blocks: [],
      private_metadata: json,
    };
    const once = sealView(key, "U0ALICE", view);
    expect(sealView(key, "U0ALICE", once)).toEqual(once);
    const { "~": tag, ...meta } = JSON.parse(once.private_metadata!);
    const forged = { ...view, private_metadata: JSON.stringify({ ...meta, r: "b", "~": tag }) };
    expect(sealView(key, "U0ALICE", forged).private_metadata).toBeUndefined();
  });

  it("the biggest edit metadata the bot builds still fits 3000 characters sealed", () => {
    const url = `https://hooks.slack.com/actions/T0123456789/${"1".repeat(16)}/${"a".repeat(24)}`;
    const biggest = encodeEditMeta({
      runId: "f".repeat(32),
      templateId: "e".repeat(32),
      lastUpdated: "2026-11-22T09:30:00.000000Z",
      origin: { kind: "message", channel: "C0123456789AB", ts: "1700000000.123456", url },
      channelId: "C0123456789AB",
      nonce: "n".repeat(12),
      // 5 basics and 95 kick-off fields (a form holds at most 100 blocks), 6 characters each
      baseline: "b".repeat(6 * 100),
    });
    expect(biggest.length).toBeLessThan(1400);
    const sealed = seal(key, scope, biggest);
    expect(sealed.length).toBeLessThanOrEqual(METADATA_MAX);
    // a response_url too long to fit is dropped before sealing, never the run
    const huge = encodeEditMeta({
      runId: "f".repeat(32),
      origin: {
        kind: "message",
        channel: "C0OPS",
        ts: "1.2",
        url: `https://hooks.slack.com/${"x".repeat(3000)}`,
      },
    });
    expect(seal(key, scope, huge).length).toBeLessThanOrEqual(METADATA_MAX);
  });
});
