import { randomBytes } from "node:crypto";
import { checkView, formatProblem } from "./block-kit.ts";
import { interactiveElements, withGeneratedIds } from "./blocks.ts";
import type { Json } from "./types.ts";

/**
 * Problems with a modal as Slack validates it (views.open/update/push and response_action), as
 * Slack's `[ERROR] … [json-pointer:/view/…]` lines, with the error code to answer; none: undefined.
 */
export function viewProblem(view: unknown): { error: string; messages: string[] } | undefined {
  const { problems } = checkView(view, "modal");
  const first = problems[0];
  return first ? { error: first.error, messages: problems.map(formatProblem) } : undefined;
}

export function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(6).toString("base64url")}`;
}

let viewSeq = 0;
export function newViewId(): string {
  viewSeq += 1;
  return `V0${viewSeq.toString(36).toUpperCase().padStart(4, "0")}${randomBytes(2).toString("hex").toUpperCase()}`;
}

export interface ViewMeta {
  id: string;
  hash: string;
  teamId: string;
  appId: string;
  botId: string;
  rootId: string;
  previousId: string | null;
  state?: Json | undefined;
}

/** The view object as Slack returns it (views.* responses and interaction payloads). */
export function viewOutput(input: Json, meta: ViewMeta): Json {
  const blocks = withGeneratedIds(input.blocks ?? []);
  return {
    id: meta.id,
    team_id: meta.teamId,
    type: input.type,
    blocks,
    private_metadata: input.private_metadata ?? "",
    callback_id: input.callback_id ?? "",
    state: { values: keepState(meta.state ?? {}, blocks) },
    hash: meta.hash,
    title: { emoji: true, ...input.title },
    clear_on_close: input.clear_on_close ?? false,
    notify_on_close: input.notify_on_close ?? false,
    close: input.close ? { emoji: true, ...input.close } : null,
    submit: input.submit ? { emoji: true, ...input.submit } : null,
    previous_view_id: meta.previousId,
    root_view_id: meta.rootId,
    app_id: meta.appId,
    external_id: input.external_id ?? "",
    app_installed_team_id: meta.teamId,
    bot_id: meta.botId,
  };
}

/**
 * Slack keeps what a user typed across views.update for inputs whose block_id and action_id
 * survive; everything else is dropped.
 */
function keepState(values: Json, blocks: Json[]): Json {
  const kept: Json = {};
  for (const { block, element } of interactiveElements(blocks)) {
    const v = values[block.block_id]?.[element.action_id];
    if (v !== undefined) {
      kept[block.block_id] ??= {};
      kept[block.block_id][element.action_id] = v;
    }
  }
  return kept;
}
