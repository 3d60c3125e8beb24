import { describe, expect, it } from "vitest";
import { checkToken, connectionFor, looksLikeToken } from "../../src/accounts/connect.ts";
import { INTERACTIVE, type MeService } from "../../src/tallyfy/api.ts";
import {
  TallyfyAuthError,
  TallyfyForbiddenError,
  TallyfyRateLimitError,
  TallyfyServerError,
} from "../../src/tallyfy/errors.ts";
import type { Organization, TallyfyUser } from "../../src/tallyfy/schemas.ts";

const USER: TallyfyUser = {
  id: 7,
  email: "ann@x.test",
  first_name: "Ann",
  last_name: "Lee",
  full_name: "Ann Lee",
  timezone: "UTC",
};

function fakeMe(me: () => Promise<TallyfyUser>, orgs: () => Promise<Organization[]>) {
  const seen: string[] = [];
  const service: MeService = {
    me: (token) => {
      seen.push(`me:${token}`);
      return me();
    },
    organizations: (token) => {
      seen.push(`orgs:${token}`);
      return orgs();
    },
  };
  return { service, seen };
}

describe("checkToken", () => {
  it("asks both /me and /me/organizations with the token", async () => {
    const { service, seen } = fakeMe(
      async () => USER,
      async () => [{ id: "o1", name: "One" }],
    );
    const result = await checkToken(service, "tok-123456", INTERACTIVE);
    expect(result).toEqual({ kind: "ok", user: USER, orgs: [{ id: "o1", name: "One" }] });
    expect(seen.sort()).toEqual(["me:tok-123456", "orgs:tok-123456"]);
  });

  it("reports a refused token (401 or 403) as rejected", async () => {
    for (const error of [
      new TallyfyAuthError({ status: 401 }),
      new TallyfyForbiddenError({ status: 403 }),
    ]) {
      const { service } = fakeMe(
        () => Promise.reject(error),
        () => Promise.reject(error),
      );
      expect(await checkToken(service, "tok-123456", INTERACTIVE)).toEqual({ kind: "rejected" });
    }
  });

  it("tells an account without organizations apart", async () => {
    const { service } = fakeMe(
      async () => USER,
      async () => [],
    );
    expect(await checkToken(service, "tok-123456", INTERACTIVE)).toEqual({
      kind: "no_orgs",
      user: USER,
    });
  });

  it("reports Tallyfy being unavailable without judging the token", async () => {
    for (const error of [new TallyfyServerError({ status: 500 }), new TallyfyRateLimitError(3)]) {
      const { service } = fakeMe(
        async () => USER,
        () => Promise.reject(error),
      );
      const result = await checkToken(service, "tok-123456", INTERACTIVE);
      expect(result).toEqual({ kind: "unavailable", error });
    }
  });

  it("lets programming errors through", async () => {
    const { service } = fakeMe(
      () => Promise.reject(new TypeError("boom")),
      async () => [],
    );
    await expect(checkToken(service, "tok-123456", INTERACTIVE)).rejects.toThrow("boom");
  });
});

describe("looksLikeToken", () => {
  it("accepts printable tokens and refuses paste accidents", () => {
    expect(looksLikeToken("sandbox-pat-bob-402dad90")).toBe(true);
    expect(looksLikeToken("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.abc.def")).toBe(true);
    expect(looksLikeToken("short")).toBe(false);
    expect(looksLikeToken("has a space in it")).toBe(false);
    expect(looksLikeToken("line\nbreak-token")).toBe(false);
    expect(looksLikeToken("x".repeat(4097))).toBe(false);
  });
});

describe("connectionFor", () => {
  it("keeps who connected, the token and the chosen organization", () => {
    expect(
      connectionFor({ teamId: "T1", userId: "U1" }, "tok", USER, { id: "o2", name: "Two" }),
    ).toEqual({
      teamId: "T1",
      userId: "U1",
      token: "tok",
      orgId: "o2",
      orgName: "Two",
      tallyfyUserId: 7,
      tallyfyEmail: "ann@x.test",
      tallyfyName: "Ann Lee",
    });
  });
});
