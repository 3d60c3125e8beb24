/**
 * The flows of two-instances.test.ts on ONE bot process with SQLite (the one-instance
 * deployment), so they are covered without Postgres too.
 */
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { instanceFlows, resetCluster } from "../support/instance-flows.ts";
import { type Cluster, startCluster } from "../support/instances.ts";

describe("one instance on SQLite", () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ count: 1 });
  }, 60_000);
  afterAll(async () => {
    await c?.close();
  }, 60_000);
  beforeEach(() => resetCluster(c));

  instanceFlows(() => c);
});
