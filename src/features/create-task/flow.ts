/**
 * The "Create Tallyfy task" message shortcut: a modal prefilled from the message, opened
 * before Slack's 3-second trigger expires. The form's submission is in submit.ts.
 */
import type { ModalView } from "@slack/types";
import { createTaskModal, createTaskPrefill } from "../../blocks/tasks/create-task.ts";
import { createTaskLoadingView } from "../../blocks/tasks/created.ts";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { newNonce, openModal, updateModal } from "../../slack/modal-io.ts";
import { viewSealer } from "../../slack/sealed-metadata.ts";
import { slackErrorCode } from "../../slack/slack-errors.ts";
import { mentionedUsers } from "./message.ts";

/** The message the shortcut was used on. */
export interface ShortcutMessage {
  channelId: string;
  ts: string;
  /** The reply's thread: the message's own thread when it is a reply, else the message. */
  threadTs: string;
  /** Its words as Slack markup ("" when it has none). */
  markup: string;
}

/** How long the modal waits for the message's details before showing "Reading…" first. */
const QUICK_MS = 700;

interface Details {
  timeZone: string | undefined;
  permalink: string | undefined;
  names: Record<string, string>;
}

export async function openCreateTask(
  bot: BotContext,
  i: Interaction,
  message: ShortcutMessage,
): Promise<void> {
  // Started first: these Slack reads run while the connection is checked.
  const details = readDetails(bot, i, message);
  const actor = await actorOrPrompt(bot, i);
  if (!actor) return;
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), QUICK_MS);
  });
  const quick = await Promise.race([details, slow]);
  clearTimeout(timer);
  // The metadata says where the card goes: sealed, so a person can't redirect it.
  const seal = viewSealer(bot, i.userId);
  if (quick) {
    await openModal(i, seal(formView(bot, i, message, quick)), bot.logger);
    return;
  }
  const opened = await openModal(i, createTaskLoadingView(), bot.logger);
  if (!opened) return;
  const view = seal(formView(bot, i, message, await details));
  await updateModal(i.client, opened.id, opened.hash, view, bot.logger);
}

function formView(
  bot: BotContext,
  i: Interaction,
  message: ShortcutMessage,
  details: Details,
): ModalView {
  const prefill = createTaskPrefill({
    text: message.markup,
    permalink: details.permalink,
    personSlackId: i.userId,
    now: bot.now(),
    timeZone: details.timeZone,
    names: details.names,
  });
  return createTaskModal(prefill, {
    channel: message.channelId,
    threadTs: message.threadTs,
    nonce: newNonce(),
    responseUrl: i.responseUrl,
  });
}

/** The person's time zone, the message's permalink, mentioned people's names. Never rejects. */
async function readDetails(
  bot: BotContext,
  i: Interaction,
  message: ShortcutMessage,
): Promise<Details> {
  const quietly = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      bot.logger.info(`create task: ${what} unavailable`, { code: slackErrorCode(error) });
      return undefined;
    }
  };
  const nameOf = async (id: string) => {
    const res = await quietly("a mentioned name", () => i.client.users.info({ user: id }));
    const name = res?.user?.profile?.display_name || res?.user?.real_name || res?.user?.name;
    return [id, name] as const;
  };
  const [person, link, names] = await Promise.all([
    quietly("time zone", () => i.client.users.info({ user: i.userId })),
    quietly("permalink", () =>
      i.client.chat.getPermalink({ channel: message.channelId, message_ts: message.ts }),
    ),
    Promise.all(mentionedUsers(message.markup).map(nameOf)),
  ]);
  return {
    timeZone: person?.user?.tz || undefined,
    permalink: link?.permalink || undefined,
    names: Object.fromEntries(names.filter((n): n is readonly [string, string] => Boolean(n[1]))),
  };
}
