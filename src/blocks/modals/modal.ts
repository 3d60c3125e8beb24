/** Small helpers every modal builder uses. Pure. */
import type { Button, KnownBlock, ModalView } from "@slack/types";
import { ACTION } from "../ids.ts";
import { usableUrl } from "../links.ts";
import { type NoticeKind, renderNotice } from "../notices.ts";
import { mrkdwnText, plainLine } from "../text.ts";

export const MODAL_MAX_BLOCKS = 100;
/** Slack's limit on private_metadata. */
export const METADATA_MAX = 3000;
/** What sealing adds (src/slack/sealed-metadata.ts): `,"~":"` + a 43-character HMAC + `"`. */
export const SEAL_ROOM = 50;
/** The most metadata a view may carry before it is sealed. */
export const METADATA_OPEN_MAX = METADATA_MAX - SEAL_ROOM;
/** Block id of the notice a form shows at its top; replaced, never stacked. */
export const FORM_NOTICE_BLOCK = "form_notice";

export type Tone = NoticeKind;

const plain = (t: string, max = 24) => ({ type: "plain_text" as const, text: plainLine(t, max) });

export interface ModalParts {
  title: string;
  blocks: KnownBlock[];
  callbackId?: string | undefined;
  submit?: string | undefined;
  close?: string | undefined;
  privateMetadata?: string | undefined;
}

export function modal(parts: ModalParts): ModalView {
  if (parts.privateMetadata && parts.privateMetadata.length > METADATA_OPEN_MAX) {
    throw new Error(`private_metadata too long (${parts.privateMetadata.length})`);
  }
  return {
    type: "modal",
    title: plain(parts.title),
    close: plain(parts.close ?? "Close"),
    blocks: parts.blocks,
    ...(parts.submit ? { submit: plain(parts.submit) } : {}),
    ...(parts.callbackId ? { callback_id: parts.callbackId } : {}),
    ...(parts.privateMetadata ? { private_metadata: parts.privateMetadata } : {}),
  };
}

/** A notice (renderNotice); `mrkdwn` is trusted: the caller escapes user text in it. */
export function noticeBlocks(tone: Tone, mrkdwn: string, blockId?: string): KnownBlock[] {
  const blocks = renderNotice(tone, mrkdwn).blocks;
  const first = blocks[0];
  if (first && blockId) first.block_id = blockId;
  return blocks;
}

/** Plain user-facing text (escaped here) as a notice. */
export function plainNotice(tone: Tone, message: string, blockId?: string): KnownBlock[] {
  return noticeBlocks(tone, mrkdwnText(message, 2900), blockId);
}

/** A URL button; undefined when the URL is not one Slack accepts. */
export function linkButton(label: string, url: string): Button | undefined {
  const safe = usableUrl(url);
  return safe
    ? { type: "button", action_id: ACTION.modalLink, text: plain(label, 75), url: safe }
    : undefined;
}

export function textSection(mrkdwn: string, blockId?: string): KnownBlock {
  return {
    type: "section",
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: "mrkdwn", text: mrkdwn.slice(0, 3000) },
  };
}

export function contextLine(mrkdwn: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: mrkdwn.slice(0, 3000) }] };
}

/** JSON metadata parsed defensively: a stale or foreign view never throws. */
export function parseMetadata(raw: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export const str = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" ? v : undefined;

export function withAccessory(section: KnownBlock, accessory: Button | undefined): KnownBlock {
  return accessory && section.type === "section" ? { ...section, accessory } : section;
}

/** Shown while Tallyfy finishes a submission that outlasted Slack's ack window. */
export function workingView(title: string, verb: string, name: string): ModalView {
  return modal({
    title,
    close: "Close",
    blocks: [
      textSection(
        `:hourglass_flowing_sand: ${verb} *${mrkdwnText(name, 500)}* in Tallyfy… Tallyfy is taking a moment; this view updates when it's done.`,
      ),
    ],
  });
}

/** Said when a form's hidden data (private_metadata) fails its seal: nothing was sent. */
export const UNTRUSTED_FORM =
  "I couldn't verify this form: its hidden data was changed, or it was opened by an older version of the app. Nothing was sent to Tallyfy and nothing was posted. Close it and open the form again.";

export function untrustedFormView(title: string): ModalView {
  return modal({
    title,
    close: "Close",
    blocks: noticeBlocks("error", UNTRUSTED_FORM),
  });
}
