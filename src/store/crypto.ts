import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A sealed token could not be opened: tampered, wrong key, or sealed for another user. */
export class TokenDecryptError extends Error {
  constructor(reason: string) {
    super(`Stored token can't be decrypted: ${reason}`);
    this.name = "TokenDecryptError";
  }
}

/** The AAD binding a sealed token to its owner, so a copied record won't open for someone else. */
export function tokenAad(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new RangeError(`Token encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
}

/** Strict base64url decode: Buffer.from silently skips bad characters, which would hide tampering. */
function decodePart(part: string): Buffer | undefined {
  const bytes = Buffer.from(part, "base64url");
  return bytes.toString("base64url") === part ? bytes : undefined;
}

/** AES-256-GCM with a fresh 12-byte IV: `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
export function sealToken(key: Buffer, plaintext: string, aad: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export function openToken(key: Buffer, sealed: string, aad: string): string {
  assertKey(key);
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new TokenDecryptError("unrecognised format");
  }
  const [iv, tag, ciphertext] = parts.slice(1).map(decodePart);
  if (!iv || iv.length !== IV_BYTES || !tag || tag.length !== TAG_BYTES || !ciphertext) {
    throw new TokenDecryptError("malformed record");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new TokenDecryptError("wrong key, wrong owner, or corrupted data");
  }
}
