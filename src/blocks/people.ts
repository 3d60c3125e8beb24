/** People on cards: a Slack mention when the Tallyfy user maps to a Slack user, else a name. */
import { escapeMrkdwn, plainLine } from "./text.ts";

export interface PersonRef {
  slackUserId?: string | undefined;
  name?: string | undefined;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** mrkdwn: `<@U123>` when mapped, else the escaped name, else "—". */
export function personLabel(p?: PersonRef): string {
  if (p?.slackUserId && SLACK_USER_ID.test(p.slackUserId)) return `<@${p.slackUserId}>`;
  const name = p?.name ? plainLine(p.name, 100) : "";
  return name ? escapeMrkdwn(name) : "—";
}
