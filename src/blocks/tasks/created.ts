/** The create-task modal before its form (loading) and once the task exists. Pure. */
import type { KnownBlock, ModalView } from "@slack/types";
import { mrkdwnLink } from "../links.ts";
import {
  contextLine,
  linkButton,
  modal,
  plainNotice,
  textSection,
  withAccessory,
} from "../modals/modal.ts";
import { mrkdwnText } from "../text.ts";

export interface TaskCreatedOptions {
  title: string;
  taskUrl: string;
  /** Where the task's card goes: the message's channel. */
  channel: string;
  /** Undefined while the card is being posted. */
  card?: { posted: true } | { posted: false; problem: string } | undefined;
}

/** The modal after the task was created: a link to it and where its card is. */
export function taskCreatedView(o: TaskCreatedOptions): ModalView {
  const name = `*${mrkdwnLink(o.taskUrl, mrkdwnText(o.title, 500))}*`;
  const where = `<#${o.channel}>`;
  let cardLine: KnownBlock[];
  if (!o.card) cardLine = [contextLine(`Posting the task in the message's thread in ${where}…`)];
  else if (o.card.posted)
    cardLine = [contextLine(`The task is in the message's thread in ${where}.`)];
  else cardLine = plainNotice("warning", o.card.problem);
  return modal({
    title: "Task created",
    close: "Done",
    blocks: [
      withAccessory(
        textSection(`:white_check_mark: Created ${name}.`),
        linkButton("Open in Tallyfy", o.taskUrl),
      ),
      ...cardLine,
    ],
  });
}

/** Why the task's card could not be posted, in words a person can act on. */
export function taskCardProblemText(code: string | undefined): string {
  if (code === "not_in_channel" || code === "channel_not_found") {
    return "The task was created, but I couldn't post it in that conversation: I'm not a member and can't join it. Invite me there (/invite @Tallyfy) to get task cards in its threads.";
  }
  return `The task was created, but posting it in the thread failed${code ? ` (${code})` : ""}. Open it in Tallyfy from here.`;
}

/** Shown at once when reading the message's details takes a moment (trigger ids live 3 s). */
export function createTaskLoadingView(): ModalView {
  return modal({
    title: "Create Tallyfy task",
    close: "Cancel",
    blocks: [textSection(":hourglass_flowing_sand: Reading the message…")],
  });
}
