import type { Identity } from "../accounts/identity.ts";
import { createPendingTokens, type PendingTokens } from "../accounts/pending-tokens.ts";
import type { Config } from "../config.ts";
import type { Logger, Secrets } from "../log.ts";
import type { LiveState } from "../store/live-state.ts";
import { createMemoryLiveState } from "../store/memory-live-state.ts";
import { createPendingCommands, type PendingCommands } from "../store/pending.ts";
import type { ConnectionStore } from "../store/store.ts";
import type { CallPolicy, Tallyfy } from "../tallyfy/api.ts";
import { type LiveCards, plainLiveCards } from "./live-cards.ts";
import { createResponseUrls, type ResponseUrls } from "./response-url.ts";
import { OnceRegistry } from "./submission-claims.ts";
import type { WorkQueue } from "./work-queue.ts";

/**
 * One bot's dependencies and registries, created once in createBot and handed to every
 * listener and flow. Nothing in src/ keeps per-bot state anywhere else, so two bots in one
 * process (tests, the playground) never share a pending command, a token or a claim.
 */
export interface BotContext {
  config: Config;
  logger: Logger;
  /** Tokens to keep out of logs and Slack; a connection's goes when the connection does. */
  secrets: Secrets;
  tallyfy: Tallyfy;
  store: ConnectionStore;
  identity: Identity;
  now: () => Date;
  /** Budgets for Tallyfy calls inside the ack window and after it. Never import the constants. */
  policies: { interactive: CallPolicy; background: CallPolicy };
  /** Post-ack work (Tallyfy reads and card posts), a few at a time. */
  background: WorkQueue;
  /** Commands people ran before connecting, replayed once they have connected. */
  pending: PendingCommands;
  /** Checked tokens waiting for the person to pick an organization (memory only). */
  pendingTokens: PendingTokens;
  /** Modal submissions already sent to Tallyfy, so a repeated submit never runs twice. */
  claims: OnceRegistry;
  /** The one client that posts to response_urls (pooled, with a timeout). */
  responseUrls: ResponseUrls;
  /** Cards, webhook secrets, subscriptions and notification settings (the store's live state). */
  live: LiveState;
  /** The registry of posted cards that webhooks and the reconcile loop keep true. */
  cards: LiveCards;
}

export type BotContextParts = Omit<
  BotContext,
  "pending" | "pendingTokens" | "claims" | "responseUrls" | "live" | "cards"
> &
  Partial<
    Pick<BotContext, "pending" | "pendingTokens" | "claims" | "responseUrls" | "live" | "cards">
  >;

/** The context with fresh registries for whatever `parts` does not bring. */
export function createBotContext(parts: BotContextParts): BotContext {
  const live = parts.live ?? createMemoryLiveState(parts.now);
  return {
    ...parts,
    pending: parts.pending ?? createPendingCommands(),
    pendingTokens: parts.pendingTokens ?? createPendingTokens(),
    claims: parts.claims ?? new OnceRegistry(),
    responseUrls: parts.responseUrls ?? createResponseUrls(fetch),
    live,
    cards: parts.cards ?? plainLiveCards((card) => live.recordCard(card)),
  };
}
