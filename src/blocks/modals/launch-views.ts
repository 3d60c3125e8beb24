/** The launch modal's views: picker, form, launching, launched. Pure. */
import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import type { Template, TemplateSummary } from "../../tallyfy/schemas.ts";
import { utcLabel } from "../dates.ts";
import { ACTION, VIEW } from "../ids.ts";
import { type FieldAnswer, kickoffBlocks } from "../kickoff/index.ts";
import { mrkdwnLink } from "../links.ts";
import { mrkdwnText, plainLine } from "../text.ts";
import { encodeLaunchMeta, type LaunchMeta } from "./launch-meta.ts";
import {
  contextLine,
  FORM_NOTICE_BLOCK,
  linkButton,
  MODAL_MAX_BLOCKS,
  modal,
  noticeBlocks,
  plainNotice,
  type Tone,
  textSection,
  withAccessory,
  workingView,
} from "./modal.ts";
import {
  NAME_MAX,
  nameBlockId,
  nameSummaryBlocks,
  ownershipBlocks,
  type RunFormValues,
} from "./run-form.ts";

export const LAUNCH_TITLE = "Launch a process";
export const PICKER_BLOCK = "launch_picker";
export const MATCHES_MAX = 10;

export {
  decodeLaunchMeta,
  encodeLaunchMeta,
  type LaunchMeta,
  PREFILL_SUMMARY_MAX,
} from "./launch-meta.ts";

export function templateOption(t: Pick<TemplateSummary, "id" | "title">): PlainTextOption {
  return {
    text: { type: "plain_text", text: plainLine(t.title || "Untitled", 75) },
    value: t.id.slice(0, 150),
  };
}

/** The template search, as a section accessory so choosing one redraws at once. */
export function pickerBlock(selected?: Pick<TemplateSummary, "id" | "title">): KnownBlock {
  return {
    type: "section",
    block_id: PICKER_BLOCK,
    text: { type: "mrkdwn", text: "*Template*" },
    accessory: {
      type: "external_select",
      action_id: ACTION.launchTemplate,
      min_query_length: 0,
      placeholder: { type: "plain_text", text: "Search templates" },
      ...(selected ? { initial_option: templateOption(selected) } : {}),
    },
  };
}

export function launchLoadingView(message: string, meta: LaunchMeta = {}): ModalView {
  return modal({
    title: LAUNCH_TITLE,
    callbackId: VIEW.launch,
    close: "Cancel",
    privateMetadata: encodeLaunchMeta(meta),
    blocks: [textSection(`:hourglass_flowing_sand: ${message}`)],
  });
}

export interface PickerOptions {
  meta: LaunchMeta;
  /** What the person typed after `/tallyfy launch`. */
  query?: string | undefined;
  /** Several templates matched the query. */
  matches?: TemplateSummary[] | undefined;
  /** A problem to show above the picker (already plain text). */
  notice?: { tone: "error" | "warning" | "info"; text: string } | undefined;
}

export function launchPickerView(o: PickerOptions): ModalView {
  const blocks: KnownBlock[] = [];
  if (o.notice) blocks.push(...plainNotice(o.notice.tone, o.notice.text));
  blocks.push(pickerBlock());
  const query = o.query?.trim();
  if (query && o.matches && o.matches.length === 0) {
    blocks.push(
      ...noticeBlocks(
        "warning",
        `No template matches “${mrkdwnText(query, 200)}”. Search for it in the picker above.`,
      ),
    );
  } else if (query && o.matches && o.matches.length > 1) {
    blocks.push({ type: "divider" });
    blocks.push(textSection(`Templates matching “${mrkdwnText(query, 200)}”:`));
    for (const t of o.matches.slice(0, MATCHES_MAX)) blocks.push(matchBlock(t));
    if (o.matches.length > MATCHES_MAX) {
      blocks.push(contextLine("More templates match: narrow the search in the picker above."));
    }
  } else {
    blocks.push(contextLine("Type to search; starred and recent templates are listed first."));
  }
  return modal({
    title: LAUNCH_TITLE,
    callbackId: VIEW.launch,
    close: "Cancel",
    privateMetadata: encodeLaunchMeta(o.meta),
    blocks,
  });
}

function matchBlock(t: TemplateSummary): KnownBlock {
  const summary = t.summary ? `\n${mrkdwnText(plainLine(t.summary, 150), 300)}` : "";
  return {
    type: "section",
    text: { type: "mrkdwn", text: `*${mrkdwnText(t.title || "Untitled", 200)}*${summary}` },
    accessory: {
      type: "button",
      action_id: ACTION.launchPickMatch,
      text: { type: "plain_text", text: "Choose" },
      value: t.id.slice(0, 2000),
    },
  };
}

export function launchingView(name: string): ModalView {
  return workingView(LAUNCH_TITLE, "Launching", name);
}

export interface LaunchedOptions {
  name: string;
  runUrl: string;
  channelId: string;
  /** Set once the card is posted; otherwise the card is on its way. */
  card?: { posted: true } | { posted: false; problem: string } | undefined;
}

export function launchedView(o: LaunchedOptions): ModalView {
  const name = `*${mrkdwnLink(o.runUrl, mrkdwnText(o.name, 500))}*`;
  const where = `<#${o.channelId}>`;
  let cardLine: KnownBlock[];
  if (!o.card) cardLine = [contextLine(`Posting the status card to ${where}…`)];
  else if (o.card.posted) cardLine = [contextLine(`The status card is in ${where}.`)];
  else cardLine = plainNotice("warning", o.card.problem);
  return modal({
    title: "Launched",
    close: "Done",
    blocks: [
      withAccessory(
        textSection(`:white_check_mark: Launched ${name} — see ${where}.`),
        linkButton("Open in Tallyfy", o.runUrl),
      ),
      ...cardLine,
    ],
  });
}

/** Why the card could not be posted, in words a person can act on. */
export function cardProblemText(channelId: string, code: string | undefined): string {
  if (code === "not_in_channel" || code === "channel_not_found") {
    return `The process was launched, but I couldn't post the status card in that conversation: I'm not a member and can't join it. Invite me there (/invite @Tallyfy), or use /tallyfy show in a channel I'm in.`;
  }
  return `The process was launched, but posting the status card to ${channelId} failed${code ? ` (${code})` : ""}. Use /tallyfy show to post it.`;
}

/** "<template title> – 22 Nov 2026", within Tallyfy's 550 characters. */
export function defaultRunName(title: string, now: Date): string {
  const date = ` – ${utcLabel(now, true)}`;
  return `${plainLine(title || "Process", NAME_MAX - date.length)}${date}`;
}

export interface LaunchFormOptions {
  template: Template;
  meta: LaunchMeta & { templateId: string };
  values: RunFormValues;
  answers: Record<string, FieldAnswer>;
  /** Tallyfy's web app, linked where something must be done there. */
  webUrl: string;
  /** Shown above the form (trusted mrkdwn: escape user text before). */
  notice?: { tone: Tone; mrkdwn: string } | undefined;
}

/**
 * The picker with the chosen template's form under it. A template Slack cannot launch (a
 * required file or table field, or more fields than a modal holds) gets the reason and a link
 * to Tallyfy instead of a form with something silently left out.
 */
export function launchFormView(o: LaunchFormOptions): ModalView {
  const { template } = o;
  const title = mrkdwnText(template.title || "This template", 200);
  const kickoff = kickoffBlocks(template.prerun, o.answers, {
    webLink: o.webUrl,
    purpose: "launch",
  });
  const top: KnownBlock[] = [];
  if (o.notice) top.push(...noticeBlocks(o.notice.tone, o.notice.mrkdwn, FORM_NOTICE_BLOCK));
  top.push(pickerBlock(template));

  const open = linkButton("Open Tallyfy", o.webUrl);
  const cannot = (why: string) =>
    modal({
      title: LAUNCH_TITLE,
      callbackId: VIEW.launch,
      close: "Cancel",
      privateMetadata: encodeLaunchMeta(o.meta),
      blocks: [pickerBlock(template), withAccessory(noticeBlocks("warning", why)[0]!, open)],
    });
  if (kickoff.blocking.length > 0) {
    const labels = kickoff.blocking
      .map((f) => `*${mrkdwnText(plainLine(f.label, 100) || "Untitled field", 200)}*`)
      .join(", ");
    return cannot(
      `${title} needs ${labels} before it can start, and a Slack form can't take files or tables. Launch it in Tallyfy instead.`,
    );
  }

  const form: KnownBlock[] = [
    { type: "divider" },
    ...nameSummaryBlocks(o.values, { nameKey: template.id }),
    ...(template.prerun.length
      ? [
          contextLine(
            `*Kick-off form* · ${template.prerun.length} field${template.prerun.length === 1 ? "" : "s"}`,
          ),
        ]
      : []),
    ...kickoff.blocks,
    { type: "divider" },
    ...ownershipBlocks(o.values, { withChannel: true }),
  ];
  // The notice's block is kept free even without one, so a form that comes back with an error
  // (and every value typed) still fits instead of turning into "too many fields".
  if (Math.max(top.length, 2) + form.length > MODAL_MAX_BLOCKS) {
    return cannot(
      `${title} has ${template.prerun.length} kick-off fields: more than a Slack form can hold, and I won't leave any out. Launch it in Tallyfy instead.`,
    );
  }
  return modal({
    title: LAUNCH_TITLE,
    callbackId: VIEW.launch,
    submit: "Launch",
    close: "Cancel",
    privateMetadata: encodeLaunchMeta(o.meta),
    blocks: [...top, ...form],
  });
}

/** The name input's block id for a template's form. */
export function launchNameBlock(templateId: string): string {
  return nameBlockId(templateId);
}
