import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openToken, sealToken, TokenDecryptError, tokenAad } from "../../src/store/crypto.ts";

const key = randomBytes(32);
const token = "tly_personal_access_token_1234567890";
const aad = tokenAad("T1", "U1");

/** Flips one bit of one byte inside part `index` (1 iv, 2 tag, 3 ciphertext) of a sealed token. */
function flipByte(sealed: string, index: 1 | 2 | 3, at = 0): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[index] ?? "", "base64url");
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

describe("sealToken / openToken", () => {
  it("round-trips a token, including non-ASCII text", () => {
    expect(openToken(key, sealToken(key, token, aad), aad)).toBe(token);
    expect(openToken(key, sealToken(key, "tøken ✓", aad), aad)).toBe("tøken ✓");
  });

  it("produces the versioned v1.<iv>.<tag>.<ciphertext> form without the plaintext", () => {
    const sealed = sealToken(key, token, aad);
    const [version, iv, tag, ciphertext, ...rest] = sealed.split(".");
    expect(version).toBe("v1");
    expect(rest).toEqual([]);
    expect(Buffer.from(iv ?? "", "base64url")).toHaveLength(12);
    expect(Buffer.from(tag ?? "", "base64url")).toHaveLength(16);
    expect(Buffer.from(ciphertext ?? "", "base64url")).toHaveLength(Buffer.byteLength(token));
    expect(sealed).not.toContain(token);
  });

  it("uses a fresh IV each time, so the same token seals differently", () => {
    const a = sealToken(key, token, aad);
    const b = sealToken(key, token, aad);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
    expect(openToken(key, a, aad)).toBe(openToken(key, b, aad));
  });

  it.each([
    ["iv", 1],
    ["tag", 2],
    ["ciphertext", 3],
  ] as const)("detects a flipped byte in the %s", (_name, index) => {
    const sealed = sealToken(key, token, aad);
    expect(() => openToken(key, flipByte(sealed, index), aad)).toThrow(TokenDecryptError);
    expect(() => openToken(key, flipByte(sealed, index, 5), aad)).toThrow(TokenDecryptError);
  });

  it("rejects a wrong key", () => {
    const sealed = sealToken(key, token, aad);
    expect(() => openToken(randomBytes(32), sealed, aad)).toThrow(TokenDecryptError);
  });

  it("rejects a record copied to another user or workspace (AAD mismatch)", () => {
    const sealed = sealToken(key, token, aad);
    expect(() => openToken(key, sealed, tokenAad("T1", "U2"))).toThrow(TokenDecryptError);
    expect(() => openToken(key, sealed, tokenAad("T2", "U1"))).toThrow(TokenDecryptError);
  });

  it.each([
    ["an unknown version", (s: string) => s.replace(/^v1\./, "v2.")],
    ["a missing part", (s: string) => s.split(".").slice(0, 3).join(".")],
    ["an extra part", (s: string) => `${s}.AAAA`],
    ["a truncated tag", (s: string) => s.replace(/^(v1\.[^.]+\.)[^.]{4}/, "$1")],
    ["invalid base64 characters", (s: string) => s.replace(/\.([^.]*)$/, ".!$1")],
    ["an empty string", () => ""],
  ])("rejects %s with TokenDecryptError", (_name, mangle) => {
    const sealed = sealToken(key, token, aad);
    expect(() => openToken(key, mangle(sealed), aad)).toThrow(TokenDecryptError);
  });

  it("never puts the token or sealed text in the error message", () => {
    const sealed = sealToken(key, token, aad);
    let message = "";
    try {
      openToken(randomBytes(32), sealed, aad);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/can't be decrypted/);
    expect(message).not.toContain(token);
    expect(message).not.toContain(sealed.split(".")[3]);
  });

  it("refuses keys that are not 32 bytes", () => {
    expect(() => sealToken(randomBytes(16), token, aad)).toThrow(RangeError);
    expect(() => openToken(randomBytes(31), "v1.a.b.c", aad)).toThrow(RangeError);
  });
});
