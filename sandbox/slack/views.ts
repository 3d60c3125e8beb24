import { randomBytes } from "node:crypto";
import { blockProblem, interactiveElements, withGeneratedIds } from "./blocks.ts";
import type { Json } from "./types.ts";

/** Problem with a view as Slack validates it (views.open/update/push and response_action). */
export function viewProblem(view: unknown): string | undefined {
  if (typeof view !== "object" || view === null)
    return "[ERROR] must be an object [json-pointer:/view]";
  const v = view as Json;
  if (v.type !== "modal") return "[ERROR] type must be modal [json-pointer:/view/type]";
  for (const key of ["title", "submit", "close"] as const) {
    if (v[key] === undefined) {
      if (key === "title") return "[ERROR] title is required [json-pointer:/view/title]";
      continue;
    }
    const t = v[key];
    if (t?.type !== "plain_text" || typeof t.text !== "string" || t.text.length < 1)
      return `[ERROR] must be plain_text [json-pointer:/view/${key}]`;
    if (t.text.length > 24)
      return `[ERROR] must be less than 25 characters [json-pointer:/view/${key}/text]`;
  }
  if (v.callback_id !== undefined && String(v.callback_id).length > 255)
    return "[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]";
  if (v.private_metadata !== undefined && String(v.private_metadata).length > 3000)
    return "[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]";
  if (v.external_id !== undefined && String(v.external_id).length > 255)
    return "[ERROR] must be less than 256 characters [json-pointer:/view/external_id]";
  const p = blockProblem(v.blocks, "modal");
  if (p) return p.replace("[json-pointer:", "[json-pointer:/view");
  const hasInput = (v.blocks as Json[]).some((b) => b.type === "input");
  if (hasInput && v.submit === undefined)
    return "[ERROR] submit is required when blocks contain input blocks [json-pointer:/view/submit]";
  return undefined;
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
