/**
 * Answering a view_submission: Slack waits 3 s for the ack, so the work races a deadline. In
 * time, the answer is the ack itself (errors on inputs, the next view, or close); too slow, the
 * ack shows a "working…" view and the result arrives later through views.update.
 */
import type { ModalView } from "@slack/types";
import type { Logger } from "../log.ts";
import { updateModal } from "./modal-io.ts";
import type { WebClient } from "./web-client.ts";

/** Leaves headroom under Slack's 3 s for the ack to travel back. */
export const ACK_DEADLINE_MS = 2_200;

export interface SubmitOutcome {
  /** Messages on input blocks (response_action "errors") when answered in time. */
  errors?: Record<string, string> | undefined;
  /** What to show: the next view, or (with errors, or when late) the form with the problem. */
  view: ModalView;
  /** Answered in time: close the modal instead of showing `view`. */
  close?: boolean | undefined;
  /** Runs once the answer is on screen; a returned view replaces the modal (unless closed). */
  after?: (() => Promise<ModalView | undefined>) | undefined;
}

type ViewAck = (response?: Record<string, unknown>) => Promise<void>;

export interface AnswerOptions {
  ack: ViewAck;
  client: WebClient;
  viewId: string;
  /** When the request arrived (Date.now()). */
  startedAt: number;
  deadlineMs?: number;
  /** Shown when the work misses the deadline. */
  pendingView: ModalView;
  work: Promise<SubmitOutcome>;
  logger: Logger;
}

type Settled = { done: true; outcome: SubmitOutcome } | { done: false };

export async function answerSubmission(o: AnswerOptions): Promise<void> {
  const remaining = Math.max(0, o.startedAt + (o.deadlineMs ?? ACK_DEADLINE_MS) - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), remaining);
  });
  const first = await Promise.race([
    o.work.then((outcome): Settled => ({ done: true, outcome })),
    deadline,
  ]);
  clearTimeout(timer);

  let outcome: SubmitOutcome;
  let closed = false;
  if (first.done) {
    outcome = first.outcome;
    if (outcome.errors && Object.keys(outcome.errors).length > 0) {
      await o.ack({ response_action: "errors", errors: outcome.errors });
      return;
    }
    closed = outcome.close === true;
    await o.ack(
      closed ? { response_action: "clear" } : { response_action: "update", view: outcome.view },
    );
  } else {
    await o.ack({ response_action: "update", view: o.pendingView });
    outcome = await o.work;
    await updateView(o, outcome.view);
  }
  if (!outcome.after) return;
  const next = await outcome.after();
  // The view on screen already answers; a refused refinement of it needs no explanation.
  if (next && !closed) await updateView(o, next, false);
}

/** `explain`: replace a view Slack refuses with an explanation (never leave "working…" up). */
async function updateView(o: AnswerOptions, view: ModalView, explain = true): Promise<void> {
  await updateModal(o.client, o.viewId, undefined, view, o.logger, { explain });
}
