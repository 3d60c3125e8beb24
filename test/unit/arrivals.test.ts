import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { watchArrivals } from "../../src/slack/arrivals.ts";

describe("watchArrivals", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it("is busy while a request waits for its answer and for quietMs after, then calls onQuiet", async () => {
    let quiet = 0;
    const arrivals = watchArrivals(() => quiet++, 30);
    let answer: (() => void) | undefined;
    server = createServer((_req, res) => {
      arrivals.track(res);
      answer = () => res.end("ok");
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;

    expect(arrivals.busy()).toBe(false);
    const response = fetch(`http://127.0.0.1:${port}/`);
    await expect.poll(() => answer !== undefined).toBe(true);
    expect(arrivals.busy()).toBe(true);
    answer!();
    expect(await (await response).text()).toBe("ok");
    expect(arrivals.busy()).toBe(true); // still inside the quiet time
    expect(quiet).toBe(0);
    await expect.poll(() => quiet, { timeout: 1000 }).toBe(1);
    expect(arrivals.busy()).toBe(false);
  });
});
