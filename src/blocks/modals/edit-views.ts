/** The edit modal's views: loading, the form filled from the run, and the outcomes. Pure. */
import type { KnownBlock, ModalView } from "@slack/types";
import type { Run, Template } from "../../tallyfy/schemas.ts";
import { ACTION, VIEW } from "../ids.ts";
import { type FieldAnswer, kickoffBlocks } from "../kickoff/index.ts";
import { mrkdwnText } from "../text.ts";
import {
  contextLine,
  FORM_NOTICE_BLOCK,
  linkButton,
  METADATA_OPEN_MAX,
  MODAL_MAX_BLOCKS,
  modal,
  noticeBlocks,
  parseMetadata,
  str,
  type Tone,
  textSection,
  withAccessory,
  workingView,
} from "./modal.ts";
import { nameSummaryBlocks, ownershipBlocks, type RunFormValues } from "./run-form.ts";

export const EDIT_TITLE = "Edit process";

/** Where the card that opened the edit lives, so it can be redrawn after saving. */
export type EditOrigin =
  /** `url`: the click's response_url, for when chat.update cannot reach the message. */
  | { kind: "message"; channel: string; ts: string; url?: string | undefined }
  | { kind: "response_url"; url: string };

export interface EditMeta {
  runId: string;
  templateId?: string | undefined;
  /** The run's last_updated when the form was filled: the concurrency check. */
  lastUpdated?: string | undefined;
  origin?: EditOrigin | undefined;
  /** Where to post the card when there is no origin (the command's channel). */
  channelId?: string | undefined;
  nonce?: string | undefined;
  /** Fingerprints of each field as the form was filled (src/features/edit/baseline.ts). */
  baseline?: string | undefined;
}

/**
 * Fits private_metadata's 3000 characters, seal included, for any run: an over-long response_url is left out
 * first (the card is then redrawn by channel and ts, or posted afresh), never the run itself.
 */
export function encodeEditMeta(m: EditMeta): string {
  const encode = (origin: EditOrigin | undefined) =>
    JSON.stringify({
      r: m.runId,
      t: m.templateId,
      lu: m.lastUpdated,
      o:
        origin?.kind === "message"
          ? { c: origin.channel, ts: origin.ts, u: origin.url }
          : origin?.kind === "response_url"
            ? { u: origin.url }
            : undefined,
      c: m.channelId,
      n: m.nonce,
      b: m.baseline,
    });
  const full = encode(m.origin);
  if (full.length <= METADATA_OPEN_MAX || !m.origin) return full;
  return encode(m.origin.kind === "message" ? { ...m.origin, url: undefined } : undefined);
}

export function decodeEditMeta(raw: string | undefined): EditMeta | undefined {
  const m = parseMetadata(raw);
  const runId = str(m.r);
  if (!runId) return undefined;
  const o = m.o && typeof m.o === "object" ? (m.o as Record<string, unknown>) : {};
  const channel = str(o.c);
  const ts = str(o.ts);
  const url = str(o.u);
  const origin: EditOrigin | undefined =
    channel && ts
      ? { kind: "message", channel, ts, ...(url ? { url } : {}) }
      : url
        ? { kind: "response_url", url }
        : undefined;
  return {
    runId,
    templateId: str(m.t),
    lastUpdated: str(m.lu),
    origin,
    channelId: str(m.c),
    nonce: str(m.n),
    baseline: str(m.b),
  };
}

export function editLoadingView(meta?: EditMeta): ModalView {
  return modal({
    title: EDIT_TITLE,
    callbackId: VIEW.edit,
    privateMetadata: meta ? encodeEditMeta(meta) : undefined,
    blocks: [textSection(":hourglass_flowing_sand: Loading the process from Tallyfy…")],
  });
}

/** A view with one message and a Close button (errors, "Nothing to update", "Updated"). */
export function editMessageView(tone: Tone, mrkdwn: string, runUrl?: string): ModalView {
  const [first, ...rest] = noticeBlocks(tone, mrkdwn);
  const open = runUrl ? linkButton("Open in Tallyfy", runUrl) : undefined;
  return modal({
    title: EDIT_TITLE,
    close: "Close",
    blocks: [withAccessory(first!, open), ...rest],
  });
}

export function editSavingView(name: string): ModalView {
  return workingView(EDIT_TITLE, "Saving", name);
}

export interface EditFormOptions {
  run: Pick<Run, "id" | "name">;
  template: Pick<Template, "prerun">;
  meta: EditMeta;
  values: RunFormValues;
  answers: Record<string, FieldAnswer>;
  /** Tallyfy user ids -> Slack user ids, for the assignee pickers (unknown ids left out). */
  slackUserIdsFor: (tallyfyUserIds: number[]) => string[];
  runUrl: string;
  notice?: { tone: Tone; mrkdwn: string } | undefined;
  /** Offer "Reload from Tallyfy" next to the notice (after a concurrent change). */
  reload?: boolean | undefined;
  /** Plain-text warnings under inputs, by block id (someone else changed that field). */
  hints?: Record<string, string> | undefined;
}

export function editFormView(o: EditFormOptions): ModalView {
  const kickoff = kickoffBlocks(o.template.prerun, o.answers, {
    slackUserIdsFor: o.slackUserIdsFor,
    webLink: o.runUrl,
    purpose: "edit",
  });
  const top: KnownBlock[] = [];
  if (o.notice) top.push(...noticeBlocks(o.notice.tone, o.notice.mrkdwn, FORM_NOTICE_BLOCK));
  if (o.reload) {
    top.push({
      type: "actions",
      block_id: "edit_reload",
      elements: [
        {
          type: "button",
          action_id: ACTION.editReload,
          text: { type: "plain_text", text: "Reload from Tallyfy" },
          value: o.run.id.slice(0, 2000),
        },
      ],
    });
  }
  const fields = o.template.prerun.length;
  const form: KnownBlock[] = [
    ...nameSummaryBlocks(o.values),
    ...(fields ? [contextLine(`*Kick-off form* · ${fields} field${fields === 1 ? "" : "s"}`)] : []),
    ...kickoff.blocks,
    { type: "divider" },
    ...ownershipBlocks(o.values, { withGuestComments: true }),
  ];
  // Room for the notice and Reload is kept even without them, so a form that comes back with
  // an error or a concurrent-change warning (and every value typed) still fits.
  if (Math.max(top.length, 2) + form.length > MODAL_MAX_BLOCKS) {
    return editMessageView(
      "warning",
      `*${mrkdwnText(o.run.name, 300)}* has ${fields} kick-off fields: more than a Slack form can hold, and I won't leave any out. Edit it in Tallyfy instead.`,
      o.runUrl,
    );
  }
  return modal({
    title: EDIT_TITLE,
    callbackId: VIEW.edit,
    submit: "Save",
    close: "Cancel",
    privateMetadata: encodeEditMeta(o.meta),
    blocks: [...top, ...withHints(form, o.hints)],
  });
}

function withHints(blocks: KnownBlock[], hints: Record<string, string> | undefined): KnownBlock[] {
  if (!hints) return blocks;
  return blocks.map((b) => {
    const hint = b.type === "input" && b.block_id ? hints[b.block_id] : undefined;
    return hint && b.type === "input"
      ? { ...b, hint: { type: "plain_text" as const, text: `⚠️ ${hint}`.slice(0, 2000) } }
      : b;
  });
}
