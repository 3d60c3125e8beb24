/**
 * The inputs launch and edit share (process name, summary, owner, tags, where to post the card,
 * guest comments) and reading them back from a submitted view's state. Pure.
 */
import type { KnownBlock, PlainTextOption } from "@slack/types";
import { ACTION } from "../ids.ts";
import { plainLine } from "../text.ts";

/** Tallyfy's limit on a process name. */
export const NAME_MAX = 550;
export const SUMMARY_MAX = 2000;

export const RUN_BLOCK = {
  /** Suffixed with the template id on launch, so switching templates re-fills the name. */
  name: "run_name",
  summary: "run_summary",
  owner: "run_owner",
  tags: "run_tags",
  channel: "run_channel",
  guestComments: "run_guest_comments",
} as const;

const VALUE = "value";

/** Slack's view.state.values, loosely typed. */
export type StateValues = Record<string, Record<string, unknown> | undefined>;
export interface SlackStateValue {
  type: string;
  value?: string | null;
  selected_user?: string | null;
  selected_conversation?: string | null;
  selected_options?: { text: { text: string }; value: string }[] | null;
  [key: string]: unknown;
}

export interface TagChoice {
  id: string;
  title: string;
}

export interface RunFormValues {
  name: string;
  summary: string;
  /** Slack user id of the chosen owner. */
  ownerSlackId: string | undefined;
  tags: TagChoice[];
  /** Launch only: where the status card goes. */
  channelId?: string | undefined;
  /** Edit only. */
  preventGuestComment?: boolean | undefined;
}

export interface RunFormOptions {
  /** Launch: suffix for the name block id (the template id). */
  nameKey?: string | undefined;
  /** Launch shows the channel picker. */
  withChannel?: boolean;
  /** Edit shows the guest comments checkbox. */
  withGuestComments?: boolean;
}

export function nameBlockId(nameKey?: string): string {
  return nameKey ? `${RUN_BLOCK.name}.${nameKey.slice(0, 40)}` : RUN_BLOCK.name;
}

const text = (t: string) => ({ type: "plain_text" as const, text: t });

export function tagOption(tag: TagChoice): PlainTextOption {
  return { text: text(plainLine(tag.title || tag.id, 75)), value: tag.id.slice(0, 150) };
}

/**
 * A stored name or summary as the form gives it back when left alone: clipped to the input's
 * max_length, then trimmed by readRunForm. Equal to the submitted value means "not changed".
 */
export function readBackAs(stored: string | null | undefined, max: number): string {
  return (stored ?? "").slice(0, max).trim();
}

/** Name and summary: they go at the top of the form. */
export function nameSummaryBlocks(values: RunFormValues, opts: RunFormOptions = {}): KnownBlock[] {
  return [
    {
      type: "input",
      block_id: nameBlockId(opts.nameKey),
      label: text("Process name"),
      element: {
        type: "plain_text_input",
        action_id: VALUE,
        max_length: NAME_MAX,
        ...(values.name ? { initial_value: values.name.slice(0, NAME_MAX) } : {}),
      },
    },
    {
      type: "input",
      block_id: RUN_BLOCK.summary,
      optional: true,
      label: text("Summary"),
      element: {
        type: "plain_text_input",
        action_id: VALUE,
        multiline: true,
        max_length: SUMMARY_MAX,
        ...(values.summary ? { initial_value: values.summary.slice(0, SUMMARY_MAX) } : {}),
      },
    },
  ];
}

/** Owner, tags, and (launch) the channel or (edit) guest comments: the end of the form. */
export function ownershipBlocks(values: RunFormValues, opts: RunFormOptions = {}): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: "input",
      block_id: RUN_BLOCK.owner,
      optional: true,
      label: text("Owner"),
      hint: text(
        opts.withGuestComments
          ? "Matched to a Tallyfy member by email. Leave empty to keep the current owner."
          : "Matched to a Tallyfy member by email. Leave empty for the connected account.",
      ),
      element: {
        type: "users_select",
        action_id: VALUE,
        placeholder: text("Choose the process owner"),
        ...(values.ownerSlackId ? { initial_user: values.ownerSlackId } : {}),
      },
    },
    {
      type: "input",
      block_id: RUN_BLOCK.tags,
      optional: true,
      label: text("Tags"),
      element: {
        type: "multi_external_select",
        action_id: ACTION.tagSearch,
        min_query_length: 0,
        placeholder: text("Search Tallyfy tags"),
        ...(values.tags.length ? { initial_options: values.tags.map(tagOption) } : {}),
      },
    },
  ];
  if (opts.withChannel) {
    blocks.push({
      type: "input",
      block_id: RUN_BLOCK.channel,
      label: text("Post the status card to"),
      element: {
        type: "conversations_select",
        action_id: VALUE,
        default_to_current_conversation: true,
        // Lets the card be posted where the bot is not a member (a response_url per submission).
        response_url_enabled: true,
        ...(values.channelId ? { initial_conversation: values.channelId } : {}),
      },
    });
  }
  if (opts.withGuestComments) {
    const option = { text: text("Prevent guests from commenting"), value: "prevent" };
    blocks.push({
      type: "input",
      block_id: RUN_BLOCK.guestComments,
      optional: true,
      label: text("Guest comments"),
      element: {
        type: "checkboxes",
        action_id: VALUE,
        options: [option],
        ...(values.preventGuestComment ? { initial_options: [option] } : {}),
      },
    });
  }
  return blocks;
}

export interface RunFormRead {
  values: RunFormValues;
  /** Block id -> message, for response_action "errors". */
  errors: Record<string, string>;
}

/** Read the shared inputs back; checks what Slack's own client does not (blank name, lengths). */
export function readRunForm(state: StateValues, opts: RunFormOptions = {}): RunFormRead {
  const at = (block: string, action = VALUE) =>
    state[block]?.[action] as SlackStateValue | undefined;
  const nameBlock = nameBlockId(opts.nameKey);
  const name = (at(nameBlock)?.value ?? "").trim();
  const summary = (at(RUN_BLOCK.summary)?.value ?? "").trim();
  const errors: Record<string, string> = {};
  if (!name) errors[nameBlock] = "Give the process a name.";
  else if (name.length > NAME_MAX)
    errors[nameBlock] = `Keep the name to ${NAME_MAX} characters (it has ${name.length}).`;
  if (summary.length > SUMMARY_MAX)
    errors[RUN_BLOCK.summary] = `Keep the summary to ${SUMMARY_MAX} characters.`;
  const tags = (at(RUN_BLOCK.tags, ACTION.tagSearch)?.selected_options ?? []).map((o) => ({
    id: o.value,
    title: o.text?.text ?? o.value,
  }));
  const values: RunFormValues = {
    name,
    summary,
    ownerSlackId: at(RUN_BLOCK.owner)?.selected_user ?? undefined,
    tags,
  };
  if (opts.withChannel) {
    values.channelId = at(RUN_BLOCK.channel)?.selected_conversation ?? undefined;
    if (!values.channelId) errors[RUN_BLOCK.channel] = "Choose where to post the status card.";
  }
  if (opts.withGuestComments) {
    values.preventGuestComment = (at(RUN_BLOCK.guestComments)?.selected_options ?? []).length > 0;
  }
  return { values, errors };
}
