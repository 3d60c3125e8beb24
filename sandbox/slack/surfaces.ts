/**
 * The app surfaces beyond messages and modals: the Home tab (`views.publish`) and link unfurls
 * (`chat.unfurl`, in a posted message or in a user's composer). Both are checked against the
 * strict rule table: `checkView(view, "home")` and `checkUnfurls`.
 */
import { checkMessage, checkUnfurls, checkView, formatProblem } from "./block-kit.ts";
import { BOT, TEAM } from "./seed.ts";
import type { FakeView, Json } from "./types.ts";
import { newHash, newViewId, viewOutput } from "./views.ts";
import { SlackApiError, type Workspace } from "./workspace.ts";

/** views.publish: a user's Home tab, guarded by `hash` when given. */
export function publishHome(ws: Workspace, args: Json): Json {
  const user = ws.user(str(args.user_id) ?? "");
  if (!user || user.isBot || user.deleted) throw new SlackApiError("user_not_found");
  const view = jsonArg(args.view);
  const { problems } = checkView(view, "home");
  const first = problems[0];
  if (first)
    throw new SlackApiError(first.error, {
      response_metadata: { messages: problems.map(formatProblem) },
    });
  const existing = ws.homeView(user.id);
  const hash = str(args.hash);
  if (hash && existing && hash !== existing.hash) throw new SlackApiError("hash_conflict");
  const id = existing?.id ?? newViewId();
  const input = view as Json;
  const out = viewOutput(input, {
    id,
    hash: newHash(),
    teamId: TEAM.id,
    appId: BOT.appId,
    botId: BOT.botId,
    rootId: id,
    previousId: null,
    state: existing?.view.state?.values,
  });
  const fv: FakeView = {
    id,
    hash: out.hash,
    view: out,
    userId: user.id,
    rootId: id,
    previousId: null,
    externalId: input.external_id || undefined,
    open: true,
    stack: [id],
  };
  ws.views.set(id, fv);
  ws.homes.set(user.id, id);
  ws.emit({ kind: "home_published", userId: user.id, viewId: id });
  return { view: out };
}

/**
 * chat.unfurl: `channel` + `ts` (a posted message) or `unfurl_id` + `source` (links in a
 * composer). Each URL must be one of the message's; a later call for the same URL replaces its
 * unfurl, as in Slack. `user_auth_*` show the sharer a private prompt instead.
 */
export function unfurl(ws: Workspace, args: Json): Json {
  const byMessage = args.channel !== undefined || args.ts !== undefined;
  const byComposer = args.unfurl_id !== undefined || args.source !== undefined;
  if (byMessage === byComposer) throw new SlackApiError("invalid_arguments");
  if (typeof args.unfurls === "string") throw new SlackApiError("invalid_unfurls_format");
  const unfurls = (args.unfurls ?? {}) as Json;
  const auth = authPrompt(args);
  if (args.unfurls === undefined && !auth) throw new SlackApiError("invalid_arguments");
  const { problems } = checkUnfurls(unfurls);
  const first = problems[0];
  if (first)
    throw new SlackApiError(first.error, {
      response_metadata: { messages: problems.map(formatProblem) },
    });

  if (byComposer) {
    if (args.source !== "composer" && args.source !== "conversations_history")
      throw new SlackApiError("invalid_source");
    const composer = ws.composers.get(str(args.unfurl_id) ?? "");
    if (!composer) throw new SlackApiError("invalid_unfurl_id");
    for (const url of Object.keys(unfurls))
      if (!composer.urls.includes(url)) throw new SlackApiError("cannot_unfurl_url");
    Object.assign(composer.unfurls, unfurls);
    if (auth) composer.authPrompt = auth;
    ws.emit({ kind: "composer_unfurled", unfurlId: composer.unfurlId, userId: composer.userId });
    return {};
  }

  const channel = ws.resolveChannel(args.channel);
  if (!channel) throw new SlackApiError("cannot_find_channel");
  const msg = ws.message(channel.id, str(args.ts) ?? "");
  if (!msg || msg.bot || msg.ephemeralTo) throw new SlackApiError("cannot_unfurl_message");
  for (const url of Object.keys(unfurls))
    if (!msg.text.includes(url)) throw new SlackApiError("cannot_unfurl_url");
  if (Object.keys(unfurls).length > 0) {
    msg.unfurls = { ...msg.unfurls, ...unfurls };
    ws.emit({ kind: "message_updated", channel: channel.id, ts: msg.ts });
  }
  if (auth && msg.user) {
    ws.addMessage({
      channel: channel.id,
      user: BOT.userId,
      bot: true,
      text: auth.text ?? "",
      blocks: auth.blocks ?? [],
      ephemeralTo: msg.user,
      threadTs: msg.threadTs,
    });
  }
  return {};
}

function authPrompt(args: Json): { text?: string; blocks?: Json[] } | undefined {
  const blocks = args.user_auth_blocks;
  const text = str(args.user_auth_message);
  if (blocks === undefined && text === undefined) return undefined;
  if (typeof blocks === "string") throw new SlackApiError("invalid_blocks_format");
  if (blocks !== undefined) {
    const problem = checkMessage({ blocks }).problems[0];
    if (problem) throw new SlackApiError(problem.error);
  }
  return {
    ...(text !== undefined ? { text } : {}),
    ...(blocks !== undefined ? { blocks: blocks as Json[] } : {}),
  };
}

/** A Web API argument that may arrive JSON-encoded (form posts) or as the value itself. */
export function jsonArg(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    throw new SlackApiError("invalid_arguments");
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}
