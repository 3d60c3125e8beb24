import { describe, expect, it } from "vitest";
import type { CallPolicy } from "../../src/tallyfy/api.ts";
import {
  MIN_ATTEMPT_MS,
  RETRY_AFTER_CAP_MS,
  retryableStatus,
  retryDelay,
} from "../../src/tallyfy/retry.ts";

const POLICY: CallPolicy = { attemptTimeoutMs: 2_000, budgetMs: 60_000, maxRetries: 3 };
const room = (remainingMs: number, policy = POLICY) => ({ policy, remainingMs });
const noJitter = () => 0;

describe("retryableStatus", () => {
  it("retries a 429 and a request that never left, on every method", () => {
    for (const method of ["GET", "POST", "PUT", "DELETE"]) {
      expect(retryableStatus(method, 429)).toBe(true);
      expect(retryableStatus(method, "not_sent")).toBe(true);
    }
  });

  it("retries 502, 503, 504, timeouts and broken connections on GET only", () => {
    for (const outcome of [502, 503, 504, "timeout", "broken"] as const) {
      expect(retryableStatus("GET", outcome)).toBe(true);
      for (const method of ["POST", "PUT", "DELETE"]) {
        expect(retryableStatus(method, outcome)).toBe(false);
      }
    }
  });

  it("never retries a plain 500, a client error or a 2xx it couldn't read", () => {
    for (const status of [200, 201, 204, 304, 400, 401, 403, 404, 409, 422, 500, 501]) {
      expect(retryableStatus("GET", status)).toBe(false);
      expect(retryableStatus("POST", status)).toBe(false);
    }
  });
});

describe("retryDelay", () => {
  it("backs off 0.5 s, 1 s, 2 s… while the budget has room, and stops after maxRetries", () => {
    expect(retryDelay(1, undefined, room(60_000), noJitter)).toBe(500);
    expect(retryDelay(2, undefined, room(60_000), noJitter)).toBe(1_000);
    expect(retryDelay(3, undefined, room(60_000), noJitter)).toBe(2_000);
    expect(retryDelay(4, undefined, room(60_000), noJitter)).toBeNull();
  });

  it("shortens a backoff to half the room left, and gives up when there is none", () => {
    expect(retryDelay(3, undefined, room(1_150), noJitter)).toBe(500);
    expect(retryDelay(1, undefined, room(MIN_ATTEMPT_MS), noJitter)).toBeNull();
  });

  it("waits a 429's Retry-After, capped, only when the wait and one more attempt fit", () => {
    expect(retryDelay(1, 3_000, room(60_000))).toBe(3_000);
    expect(retryDelay(1, 120_000, room(60_000))).toBe(RETRY_AFTER_CAP_MS);
    expect(retryDelay(1, 3_000, room(3_000 + MIN_ATTEMPT_MS - 1))).toBeNull();
    expect(retryDelay(1, 3_000, room(60_000, { ...POLICY, maxRetries: 0 }))).toBeNull();
  });

  it("backs off on a 429 without Retry-After, in full or not at all", () => {
    expect(retryDelay(2, null, room(60_000), noJitter)).toBe(1_000);
    expect(retryDelay(2, null, room(1_000), noJitter)).toBeNull();
  });
});
