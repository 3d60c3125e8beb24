/**
 * Issue 17: two bot processes (src/index.ts) sharing one Postgres, one fake Slack and one
 * Tallyfy sandbox, each request sent to the instance the flow names (or alternating). Runs
 * with DATABASE_URL; skips without it, saying why, except in CI.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../support/harness.ts";
import { instanceFlows, onboardingValues, resetCluster } from "../support/instance-flows.ts";
import { type Cluster, logged, startCluster } from "../support/instances.ts";
import {
  createTestSchema,
  DATABASE_URL,
  SKIP_REASON,
  type TestSchema,
} from "../support/postgres.ts";

if (!DATABASE_URL) {
  describe("two instances on Postgres", () => {
    it.skip(SKIP_REASON, () => {});
  });
} else {
  describe("two instances on Postgres", () => {
    let schema: TestSchema;
    let c: Cluster;
    beforeAll(async () => {
      schema = await createTestSchema();
      c = await startCluster({ schema, count: 2 });
    }, 60_000);
    afterAll(async () => {
      await c?.close();
      await schema?.drop();
    }, 60_000);
    beforeEach(() => resetCluster(c));

    instanceFlows(() => c);

    it("on SIGTERM an instance gives its claims back; a retry of its finished launch on B launches nothing", async () => {
      const [a] = c.instances;
      // A launch served by A alone.
      await c.a.command("launch Employee Onboarding", { user: "U0ALICE" });
      const form = await eventually(() => {
        const v = c.slack.openView("U0ALICE");
        if (v?.view.submit?.text !== "Launch") throw new Error("no form");
        return v;
      });
      const values = onboardingValues(c);
      const sent = c.a.bodies.length;
      const first = await c.a.submitView(form.id, values);
      expect(first.status).toBe(200);
      await eventually(
        () => expect(c.slack.callsTo("chat.postMessage").length).toBeGreaterThan(0),
        15_000,
      );
      const submission = c.a.bodies[sent];
      if (!submission) throw new Error("no submission recorded");

      expect(await a?.stop()).toBe(0);
      const released = logged(a, "released this instance's claims");
      expect(released).toHaveLength(1);
      expect(JSON.parse(released[0] ?? "{}").released).toBeGreaterThanOrEqual(1);

      // Slack sends the same submission again; only B is left to take it.
      const later = { timestamp: Math.floor(Date.now() / 1000) + 2 };
      const retry = await c.b.signedPost(submission.body, submission.contentType, later);
      expect(retry.status).toBe(200);
      await new Promise((r) => setTimeout(r, 700));
      expect(
        c.sandbox.requests.filter((r) => r.method === "POST" && r.path.endsWith("/runs")),
      ).toHaveLength(1);
    }, 60_000);
  });
}
