import type { CardInput } from "../store/live-state.ts";
import type { TallyfyApi } from "../tallyfy/api.ts";
import type { Run } from "../tallyfy/schemas.ts";

/**
 * The cards the bot keeps true (src/features/cards-registry). Every feature that posts a card
 * records it here; webhooks and the reconcile loop redraw what is recorded.
 */
export interface LiveCards {
  /**
   * Records a posted card: status card, task card (`taskId`) or unfurl (`url`, with the ts of
   * the message whose link was unfurled). Never throws; a store failure is logged.
   */
  record(card: CardInput): Promise<void>;
  /** A process was launched from Slack: channels subscribed to its template get its card. */
  launched(launch: {
    teamId: string;
    api: TallyfyApi;
    run: Run;
    userId: string;
    /** Where the launch's own card goes: no second card there. */
    channel?: string;
  }): void;
}

/** Records straight into `record`; launches go nowhere (tests and tools without the engine). */
export function plainLiveCards(record: (card: CardInput) => Promise<void>): LiveCards {
  return {
    record: (card) => record(card).catch(() => undefined),
    launched: () => undefined,
  };
}
