import { renderNotice } from "../blocks/notices.ts";
import type { CommandContext } from "./commands.ts";

/** Temporary: tells the user a surface is not built yet. */
export function comingSoon(what: string) {
  return async (ctx: CommandContext) => {
    const msg = renderNotice("info", `${what} is coming soon.`);
    await ctx.respond({
      response_type: "ephemeral",
      replace_original: false,
      text: msg.text,
      blocks: msg.blocks as never,
    });
  };
}
