/**
 * The tests' Block Kit checker: the same rule table the fake Slack answers with
 * (`sandbox/slack/block-rules.ts`), so a payload passes here exactly when the fake (and, as far as
 * the table knows, Slack) accepts it. Lengths are counted in UTF-16 code units, never fewer than
 * Slack's own character count.
 */
import { checkMessage, checkView, type Report } from "../../sandbox/slack/block-kit.ts";
import type { FakeView } from "../../sandbox/slack/types.ts";

/** A message (text and blocks), or a view as the app sends it or as Slack returns it. */
export interface Surface {
  type: "message" | "modal" | "home";
  blocks: unknown[];
  text?: string | undefined;
  [key: string]: unknown;
}

/** What Slack adds to a view it returns; dropped so a returned view checks like the one sent. */
const VIEW_OUTPUT_ONLY = [
  "id",
  "team_id",
  "state",
  "hash",
  "previous_view_id",
  "root_view_id",
  "app_id",
  "app_installed_team_id",
  "bot_id",
];

function report(surface: Surface): Report {
  if (surface.type === "message")
    return checkMessage({ text: surface.text, blocks: surface.blocks });
  const view = Object.fromEntries(
    Object.entries(surface).filter(
      ([k, v]) => v !== undefined && v !== null && !VIEW_OUTPUT_ONLY.includes(k),
    ),
  );
  return checkView(view, surface.type);
}

/** Every rule the surface breaks, as `<json pointer>: <problem>`; empty when Slack would take it. */
export function checkBlockKit(surface: Surface): string[] {
  return report(surface).problems.map((p) => `${p.pointer}: ${p.message}`);
}

/** Throws listing every violation, so a failing test shows what broke and where. */
export function assertBlockKit(surface: Surface): void {
  const problems = checkBlockKit(surface);
  if (problems.length > 0) {
    throw new Error(`Block Kit violations (${problems.length}):\n- ${problems.join("\n- ")}`);
  }
}

/** A modal the fake Slack holds, as the bot sent it (the fake adds nulls for absent parts). */
export function assertModalView(v: FakeView): void {
  const { title, submit, close, blocks, private_metadata, callback_id } = v.view;
  assertBlockKit({
    type: "modal",
    blocks,
    title,
    submit: submit ?? undefined,
    close: close ?? undefined,
    private_metadata,
    callback_id,
  });
}
