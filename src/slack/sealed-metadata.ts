/**
 * Sealed private_metadata. Slack hands a view's private_metadata back as the client sent it, so
 * a person can edit it; what the bot trusts from it (which run, which card to redraw, where to
 * post) is sealed with an HMAC-SHA256 under a key derived from the signing secret, bound to the
 * person and the form. The seal is one more JSON member, `"~":"<43 chars>"`, appended to the
 * metadata's JSON object, so a reader that needs no trust (the kick-off option search) still
 * parses it as before.
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { ModalView } from "@slack/types";
import { METADATA_MAX, SEAL_ROOM } from "../blocks/modals/modal.ts";

/** Characters the seal adds to the metadata: `,"~":"` + 43 + `"`. */
export const SEAL_OVERHEAD = SEAL_ROOM;

const KEY_INFO = "tallyfy-slack/modal-private-metadata/v1";
const SUFFIX = /(,?)"~":"([A-Za-z0-9_-]{43})"\}$/;

export interface SealScope {
  /** The view's callback_id: launch metadata never opens an edit form. */
  form: string;
  /** The Slack user the view was opened for (the only one who can submit it). */
  userId: string;
}

/** The metadata key: HKDF-SHA256 of the signing secret with a fixed label. */
export function metadataKey(signingSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", signingSecret, "", KEY_INFO, 32));
}

function mac(key: Buffer, scope: SealScope, json: string): Buffer {
  return createHmac("sha256", key).update(`${scope.form}\n${scope.userId}\n${json}`).digest();
}

/** `json` (a JSON object's text) with its seal appended. */
export function seal(key: Buffer, scope: SealScope, json: string): string {
  if (!json.startsWith("{") || !json.endsWith("}")) throw new Error("metadata is not an object");
  const tag = mac(key, scope, json).toString("base64url");
  const sealed = json === "{}" ? `{"~":"${tag}"}` : `${json.slice(0, -1)},"~":"${tag}"}`;
  if (sealed.length > METADATA_MAX) throw new Error(`private_metadata too long (${sealed.length})`);
  return sealed;
}

/** The JSON the bot sealed for this scope; undefined when unsigned, altered or someone else's. */
export function unseal(key: Buffer, scope: SealScope, raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const m = SUFFIX.exec(raw);
  if (!m) return undefined;
  const head = raw.slice(0, m.index);
  if (m[1] === "" && head !== "{") return undefined;
  const json = `${head}}`;
  const given = Buffer.from(m[2]!, "base64url");
  const expected = mac(key, scope, json);
  return given.length === expected.length && timingSafeEqual(given, expected) ? json : undefined;
}

/** Whether `raw` carries a seal at all (valid or not). */
export function looksSealed(raw: string | undefined): boolean {
  return raw !== undefined && SUFFIX.test(raw);
}

/**
 * The view as it may leave the bot: its metadata sealed for `userId` and the view's form.
 * Metadata that already carries this scope's valid seal (a form sent back as it came) is kept;
 * one with a seal that does not verify is dropped, never signed.
 */
export function sealView(key: Buffer, userId: string, view: ModalView): ModalView {
  const raw = view.private_metadata;
  if (!raw) return view;
  const scope = { form: view.callback_id ?? "", userId };
  if (looksSealed(raw)) {
    if (unseal(key, scope, raw) !== undefined) return view;
    const { private_metadata: _dropped, ...rest } = view;
    return rest;
  }
  return { ...view, private_metadata: seal(key, scope, raw) };
}

/** The bot's sealing for views opened for `userId`. */
export function viewSealer(
  bot: { config: { slack: { signingSecret: string } } },
  userId: string,
): (view: ModalView) => ModalView {
  const key = metadataKey(bot.config.slack.signingSecret);
  return (view) => sealView(key, userId, view);
}

/** A submitted or clicked view's metadata JSON, when the bot sealed it for this person. */
export function openedMetadata(
  bot: { config: { slack: { signingSecret: string } } },
  userId: string,
  view: { callback_id?: string | undefined; private_metadata?: string | undefined },
): string | undefined {
  const key = metadataKey(bot.config.slack.signingSecret);
  return unseal(key, { form: view.callback_id ?? "", userId }, view.private_metadata);
}
