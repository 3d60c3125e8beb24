/** `/tallyfy list [status] [mine] [words]`: one private page of processes, with paging. */
import type { Actor } from "../../accounts/actor.ts";
import type { ListState } from "../../blocks/ids.ts";
import { renderRunList } from "../../blocks/list.ts";
import { renderNotice } from "../../blocks/notices.ts";
import { actorOrPrompt } from "../../slack/actor-gate.ts";
import type { Click } from "../../slack/button.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { reply, replyFailure } from "../../slack/reply.ts";
import { runLink } from "../card/cards.ts";
import { parseListArgs } from "../commands/parse.ts";

const PER_PAGE = 10;

export async function list(bot: BotContext, i: Interaction, actor: Actor, args: string) {
  const parsed = parseListArgs(args);
  const state = { status: parsed.status, q: parsed.q, mine: parsed.mine || undefined, page: 1 };
  await listPage(bot, actor, i, state, false);
}

/** Previous / Next: the same list, another page, in place of the one clicked. */
export async function turnPage(bot: BotContext, click: Click, state: ListState): Promise<void> {
  const actor = await actorOrPrompt(bot, click.interaction);
  if (actor) await listPage(bot, actor, click.interaction, state, true);
}

/** Renders one page of the list privately; paging replaces the same ephemeral message. */
async function listPage(
  bot: BotContext,
  actor: Actor,
  i: Pick<Interaction, "teamId" | "userId" | "respond">,
  state: ListState,
  replace: boolean,
) {
  try {
    let owners: number[] | undefined;
    if (state.mine) {
      const me =
        actor.kind === "user" && actor.connection.tallyfyUserId != null
          ? actor.connection.tallyfyUserId
          : (await bot.identity.tallyfyUserFor(actor.api, i.userId))?.id;
      if (me == null) {
        const msg = renderNotice(
          "warning",
          "I couldn't match your Slack email to a Tallyfy user, so I can't tell which processes are yours. Use `/tallyfy connect` to connect your own account.",
        );
        await reply(i, msg);
        return;
      }
      owners = [me];
    }
    const page = await actor.api.runs.list(
      {
        status: state.status,
        q: state.q,
        owners,
        page: state.page,
        perPage: PER_PAGE,
        sort: "-created_at",
      },
      { policy: bot.policies.background },
    );
    const rendered = renderRunList(page, {
      state,
      runUrl: (id) => runLink(bot, actor.api.orgId, id),
      now: bot.now(),
    });
    await reply(i, rendered, { replace });
  } catch (error) {
    await replyFailure(bot, i.respond, error, { ...i, actor, what: "list" });
  }
}
