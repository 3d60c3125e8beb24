import { z } from "zod";

/*
 * The shape of each Slack request the bot reads, checked before Bolt sees it. Only the fields
 * Bolt and our listeners rely on are checked (loose objects: Slack adds fields all the time),
 * so a signed but odd body (payload=null, a command without text, a number where a typed value
 * belongs) is refused with a 400 instead of throwing inside Bolt or a listener.
 */

const id = z.string().min(1);
const team = z.looseObject({ id }).nullish();
const enterprise = z.looseObject({ id }).nullish();
const user = z.looseObject({ id, team_id: z.string().optional() });
const option = z.looseObject({ value: z.string() });
const strings = z.array(z.string());

/** One input's value in view.state.values / message state, by element type. */
const stateValue = z.looseObject({
  type: z.string().optional(),
  value: z.string().nullish(),
  selected_option: option.nullish(),
  selected_options: z.array(option).nullish(),
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
  selected_date_time: z.number().nullish(),
  selected_user: z.string().nullish(),
  selected_users: strings.nullish(),
  selected_conversation: z.string().nullish(),
  selected_conversations: strings.nullish(),
  selected_channel: z.string().nullish(),
  selected_channels: strings.nullish(),
  rich_text_value: z.looseObject({}).nullish(),
});
const state = z.looseObject({ values: z.record(z.string(), z.record(z.string(), stateValue)) });

const view = z.looseObject({
  id,
  type: z.string().optional(),
  callback_id: z.string().optional(),
  private_metadata: z.string().optional(),
  hash: z.string().optional(),
  blocks: z.array(z.looseObject({})).optional(),
  state: state.optional(),
});

const interaction = {
  team,
  enterprise,
  user,
  api_app_id: z.string().optional(),
};

const blockActions = z.looseObject({
  ...interaction,
  type: z.literal("block_actions"),
  actions: z
    .array(
      z.looseObject({
        action_id: z.string(),
        block_id: z.string().optional(),
        type: z.string().optional(),
        value: z.string().optional(),
      }),
    )
    .min(1),
  trigger_id: z.string().optional(),
  response_url: z.url().optional(),
  channel: z.looseObject({ id }).nullish(),
  container: z.looseObject({}).nullish(),
  message: z.looseObject({ ts: z.string().optional() }).nullish(),
  view: view.optional(),
  state: state.optional(),
});

const viewSubmission = z.looseObject({
  ...interaction,
  type: z.literal("view_submission"),
  view: view.extend({ state }),
  trigger_id: z.string().optional(),
  response_urls: z
    .array(
      z.looseObject({
        block_id: z.string(),
        action_id: z.string(),
        channel_id: z.string(),
        response_url: z.url(),
      }),
    )
    .optional(),
});

const viewClosed = z.looseObject({
  ...interaction,
  type: z.literal("view_closed"),
  view,
});

const blockSuggestion = z.looseObject({
  ...interaction,
  type: z.literal("block_suggestion"),
  action_id: z.string(),
  block_id: z.string(),
  value: z.string(),
  view: view.optional(),
});

/** A global shortcut (shortcuts menu) and a message shortcut (a message's "More actions"). */
const globalShortcut = z.looseObject({
  ...interaction,
  type: z.literal("shortcut"),
  callback_id: z.string(),
  trigger_id: z.string(),
});

const messageShortcut = z.looseObject({
  ...interaction,
  type: z.literal("message_action"),
  callback_id: z.string(),
  trigger_id: z.string(),
  response_url: z.url().optional(),
  channel: z.looseObject({ id }),
  message: z.looseObject({ ts: z.string(), text: z.string().nullish() }),
});

/** A slash command: a flat form. Slack always sends text (maybe empty) and a response_url. */
export const commandSchema = z.looseObject({
  command: z.string().startsWith("/"),
  text: z.string(),
  response_url: z.url(),
  trigger_id: z.string().optional(),
  user_id: id,
  team_id: id,
  channel_id: id,
  enterprise_id: z.string().optional(),
});

export const interactionSchema = z.discriminatedUnion("type", [
  blockActions,
  viewSubmission,
  viewClosed,
  blockSuggestion,
  globalShortcut,
  messageShortcut,
]);

/** Interaction types we have listeners for; others are acknowledged and dropped. */
export const INTERACTION_TYPES = new Set([
  "block_actions",
  "view_submission",
  "view_closed",
  "block_suggestion",
  "shortcut",
  "message_action",
]);

export const eventCallbackSchema = z.looseObject({
  type: z.literal("event_callback"),
  event_id: id,
  team_id: z.string().optional(),
  event: z.looseObject({ type: z.string() }),
});

export const urlVerificationSchema = z.looseObject({
  type: z.literal("url_verification"),
  challenge: z.string(),
});
