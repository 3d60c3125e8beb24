/**
 * Bolt wiring for tasks: the row and card buttons (Complete, Approve, Reject, Acknowledge), the
 * overflow (Comment, Open in Tallyfy), the list's paging, and the task modals. Clicks act with
 * the clicker's own Tallyfy rights; any surface showing these buttons (the private list, a
 * status card, a task's message, the App Home) gets them handled here.
 */
import type {
  BlockAction,
  ButtonAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import {
  decodeTaskClick,
  decodeTaskListState,
  MORE_COMMENT,
  TASK_ACTION,
  TASK_DECISION_ACTIONS,
  TASK_PAGE_ACTIONS,
  TASK_VIEW,
  type TaskDecision,
} from "../../blocks/tasks/index.ts";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import { buttonListener } from "../../slack/button.ts";
import type { BotContext } from "../../slack/context.ts";
import { formListener } from "../../slack/form-submission.ts";
import { payloadInteraction } from "../../slack/interaction.ts";
import type { Listeners } from "../../slack/listeners.ts";
import { replyFailure } from "../../slack/reply.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { taskDecisionClicked } from "./decide.ts";
import { turnTaskPage } from "./list.ts";
import { openCommentModal } from "./modals-open.ts";
import { commentSpec, rejectSpec } from "./submit-comment.ts";
import { taskFormSpec } from "./submit-form.ts";
import { surfaceOf, type TaskHooks } from "./surface.ts";

const DECISION: Record<string, TaskDecision> = {
  [TASK_ACTION.complete]: "complete",
  [TASK_ACTION.approve]: "approve",
  [TASK_ACTION.reject]: "reject",
  [TASK_ACTION.acknowledge]: "acknowledge",
};

/**
 * Complete / Approve / Reject / Acknowledge. Not queued: Reject (and a task with a form) opens
 * a modal, whose trigger id lives 3 s.
 */
export const taskButtonClicked = (bot: BotContext, hooks: TaskHooks = {}) =>
  buttonListener(
    bot,
    "task",
    (click) => {
      const actionId = (click.body.actions[0] as ButtonAction | undefined)?.action_id ?? "";
      return taskDecisionClicked(bot, click, DECISION[actionId] ?? "complete", hooks);
    },
    { valueIsRunId: false },
  );

export const taskPageClicked = (bot: BotContext) =>
  buttonListener(
    bot,
    "tasks",
    (click) => turnTaskPage(bot, click, decodeTaskListState(click.value)),
    {
      valueIsRunId: false,
      queued: true,
    },
  );

type OverflowArgs = SlackActionMiddlewareArgs<BlockAction<OverflowAction>> & { client: WebClient };

/** The overflow: Comment opens the comment modal; Open in Tallyfy is a link (ack only). */
export const taskMoreChosen =
  (bot: BotContext) =>
  async ({ ack, body, action, client }: OverflowArgs): Promise<void> => {
    await ack();
    const value = action.selected_option?.value ?? "";
    if (!value.startsWith(MORE_COMMENT)) return;
    const i = payloadInteraction(bot, body, client);
    try {
      const parsed = decodeTaskClick(value.slice(MORE_COMMENT.length));
      if (!parsed) return;
      const actor = await actorOrPrompt(bot, i);
      if (!actor) return;
      const surface = surfaceOf(body, i.respond, parsed.origin, parsed.ref.runId);
      await openCommentModal(bot, actor, i, parsed.ref, surface);
    } catch (error) {
      await replyFailure(bot, i.respond, error, { ...i, what: "task comment" });
    }
  };

const linkClicked = async ({ ack }: SlackActionMiddlewareArgs) => {
  await ack();
};

/** `hooks.redrawView`: how the App Home redraws itself after one of its rows changed. */
export function registerTasks(app: Listeners, bot: BotContext, hooks: TaskHooks = {}): void {
  app.action<BlockAction<ButtonAction>>(TASK_DECISION_ACTIONS, taskButtonClicked(bot, hooks));
  app.action<BlockAction<ButtonAction>>(TASK_PAGE_ACTIONS, taskPageClicked(bot));
  app.action<BlockAction<OverflowAction>>(TASK_ACTION.more, taskMoreChosen(bot));
  app.action(TASK_ACTION.open, linkClicked);
  app.view<ViewSubmitAction>(TASK_VIEW.form, formListener(bot, taskFormSpec(hooks)));
  app.view<ViewSubmitAction>(TASK_VIEW.reject, formListener(bot, rejectSpec(hooks)));
  app.view<ViewSubmitAction>(TASK_VIEW.comment, formListener(bot, commentSpec));
}
