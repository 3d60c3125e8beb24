/** `/tallyfy notifications on|off`: whether the bot may DM this person. */
import { renderNotice } from "../../blocks/notices.ts";
import type { BotContext } from "../../slack/context.ts";
import type { Interaction } from "../../slack/interaction.ts";
import { reply } from "../../slack/reply.ts";

export async function notificationsCommand(
  bot: BotContext,
  i: Interaction,
  args: string,
): Promise<void> {
  const word = args.trim().toLowerCase();
  if (word === "on" || word === "off") {
    await bot.live.setNotifications(i.teamId, i.userId, word === "on");
    const text =
      word === "on"
        ? "Notifications are *on*: I'll DM you when a task becomes yours and when a process you launched completes."
        : "Notifications are *off*: I won't DM you. `/tallyfy notifications on` turns them back on.";
    await reply(i, renderNotice("success", text));
    return;
  }
  if (word !== "") {
    await reply(
      i,
      renderNotice("warning", "Use `/tallyfy notifications on` or `/tallyfy notifications off`."),
    );
    return;
  }
  const on = await bot.live.notificationsOn(i.teamId, i.userId);
  await reply(
    i,
    renderNotice(
      "info",
      `Notifications are *${on ? "on" : "off"}*. \`/tallyfy notifications ${on ? "off" : "on"}\` turns them ${on ? "off" : "on"}.`,
    ),
  );
}
