import type { CardLocation } from "./cards.ts";
import type { CommandContext } from "./commands.ts";

/** The surfaces that open modals or manage accounts; commands and buttons route to them. */
export interface ModalOpeners {
  launch(ctx: CommandContext, args: string): Promise<void>;
  /** `origin` is the card to redraw after a successful edit, when there is one. */
  edit(ctx: CommandContext, runId: string, origin: CardLocation | undefined): Promise<void>;
  connect(ctx: CommandContext, pendingId?: string): Promise<void>;
  disconnect(ctx: CommandContext): Promise<void>;
  whoami(ctx: CommandContext): Promise<void>;
}
