import type { ModalView } from "@slack/types";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.ts";
import { updateModal, updateWhenReady } from "../../src/slack/modal-io.ts";
import type { WebClient } from "../../src/slack/web-client.ts";

// biome-ignore lint/suspicious/noExplicitAny: update arguments are inspected loosely.
type Json = any;

const view = (text: string): ModalView => ({
  type: "modal",
  title: { type: "plain_text", text },
  blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
});

/** views.update answering with the queued Slack error codes first, then ok with a new hash. */
function fakeClient(errors: string[]) {
  const calls: Json[] = [];
  let n = 0;
  const client = {
    views: {
      update: async (args: Json) => {
        calls.push(args);
        const code = errors.shift();
        if (code)
          throw Object.assign(new Error(`An API error occurred: ${code}`), {
            data: { error: code },
          });
        n++;
        return { ok: true, view: { id: args.view_id, hash: `h${n}` } };
      },
    },
  } as unknown as WebClient;
  return { client, calls };
}

const shown = (call: Json) => JSON.stringify(call.view.blocks);

describe("updateModal", () => {
  it("replaces a view Slack refuses with an explanation, on the same hash", async () => {
    const { client, calls } = fakeClient(["invalid_arguments"]);
    const hash = await updateModal(client, "V1", "h0", view("Form"), silentLogger);
    expect(hash).toBeUndefined();
    expect(calls).toHaveLength(2);
    expect(calls[1].hash).toBe("h0");
    expect(calls[1].view.title.text).toBe("Form");
    expect(shown(calls[1])).toContain("Slack wouldn't show the next step (invalid_arguments)");
    expect(calls[1].view.submit).toBeUndefined();
  });

  it("drops the update quietly when the person moved on or the view is still a fine answer", async () => {
    for (const code of ["hash_conflict", "not_found"]) {
      const { client, calls } = fakeClient([code]);
      await updateModal(client, "V1", "h0", view("Form"), silentLogger);
      expect(calls).toHaveLength(1);
    }
    const { client, calls } = fakeClient(["invalid_arguments"]);
    await updateModal(client, "V1", "h0", view("Form"), silentLogger, { explain: false });
    expect(calls).toHaveLength(1);
  });
});

describe("updateWhenReady", () => {
  it("still shows the result when Slack refused the interim view", async () => {
    const { client, calls } = fakeClient(["ratelimited"]);
    const work = new Promise<ModalView>((r) => setTimeout(() => r(view("Result")), 30));
    await updateWhenReady(client, "V1", "h0", view("Loading"), work, silentLogger, 1);
    expect(calls.map((c) => c.view.title.text)).toEqual(["Loading", "Result"]);
    expect(calls[1].hash).toBe("h0");
  });
});
