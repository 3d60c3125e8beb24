/**
 * Slack mentions as Tallyfy mentions: Tallyfy notifies only for `@[user_id]` in a comment's
 * content (TASKS-AND-WEBHOOKS.md §5), so `<@U123>` becomes `@[1002]` when that Slack user maps
 * to a Tallyfy user by email, and their name otherwise. Pure.
 */
import { plainFromSlack } from "./create-task.ts";

export interface MentionMap {
  /** The Tallyfy user id of a Slack user (matched by email), if any. */
  tallyfyIdFor: (slackUserId: string) => number | undefined;
  /** Display names for Slack users that do not map. */
  names?: Record<string, string>;
}

/**
 * Comment content for Tallyfy from what was typed in the comment modal: Slack markup made
 * plain, mapped mentions as `@[id]`, and the people picked under "Notify" appended as mentions.
 */
export function tallyfyCommentContent(
  text: string,
  map: MentionMap,
  notify: readonly string[] = [],
): string {
  const mapped = text.replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (whole, id: string) => {
    const tallyfyId = map.tallyfyIdFor(id);
    return tallyfyId === undefined ? whole : `@[${tallyfyId}]`;
  });
  const body = plainFromSlack(mapped, map.names, false).trim();
  const extra = [...new Set(notify)]
    .map((id) => map.tallyfyIdFor(id))
    .filter((id): id is number => id !== undefined && !body.includes(`@[${id}]`))
    .map((id) => `@[${id}]`);
  return extra.length ? `${body}\n\ncc ${extra.join(" ")}` : body;
}
