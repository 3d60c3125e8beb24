import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Identity } from "../accounts/identity.ts";
import { createPendingTokens, type PendingTokens } from "../accounts/pending-tokens.ts";
import type { Config } from "../config.ts";
import type { Logger, Secrets } from "../log.ts";
import { type CardChat, createCardChat } from "../slack-api/card-chat.ts";
import type { LiveState } from "../store/live-state.ts";
import { createMemoryLiveState } from "../store/memory-live-state.ts";
import { createPendingCommands, type PendingCommands } from "../store/pending.ts";
import type { SharedStore } from "../store/shared-state.ts";
import type { CallPolicy, Tallyfy } from "../tallyfy/api.ts";
import { HomePublishes } from "./home-publishes.ts";
import { type LiveCards, plainLiveCards } from "./live-cards.ts";
import { createResponseUrls, type ResponseUrls } from "./response-url.ts";
import { OnceRegistry } from "./submission-claims.ts";
import type { WorkQueue } from "./work-queue.ts";

/**
 * One bot's dependencies and registries, created once in createBot and handed to every
 * listener and flow. Nothing in src/ keeps per-bot state anywhere else. What several instances
 * must agree on (pending commands and tokens, submission claims) lives in `store`, so two
 * bots share them exactly when they share a store.
 */
export interface BotContext {
  config: Config;
  logger: Logger;
  /** Tokens to keep out of logs and Slack; a connection's goes when the connection does. */
  secrets: Secrets;
  tallyfy: Tallyfy;
  /** Connections and the state every instance shares (Postgres, SQLite or memory). */
  store: SharedStore;
  /** This instance's id: the owner of the claims it takes. */
  instanceId: string;
  identity: Identity;
  now: () => Date;
  /** Budgets for Tallyfy calls inside the ack window and after it. Never import the constants. */
  policies: { interactive: CallPolicy; background: CallPolicy };
  /** Post-ack work (Tallyfy reads and card posts), paced by each organization's Tallyfy budget. */
  background: WorkQueue;
  /** Commands people ran before connecting, replayed once they have connected (in `store`). */
  pending: PendingCommands;
  /** Checked tokens waiting for the person to pick an organization (in `store`, sealed). */
  pendingTokens: PendingTokens;
  /** Modal submissions already sent to Tallyfy (claimed in `store`): never run twice. */
  claims: OnceRegistry;
  /** The one client that posts to response_urls (pooled, with a timeout). */
  responseUrls: ResponseUrls;
  /** Posts and redraws status cards (slack-api/card-chat.ts), with the bot token. */
  cardChat: CardChat;
  /** Each person's Home tab: the opening rate limit and the last publish's hash. */
  home: HomePublishes;
  /** Cards, webhook secrets, subscriptions and notification settings (the store's live state). */
  live: LiveState;
  /** The registry of posted cards that webhooks and the reconcile loop keep true. */
  cards: LiveCards;
}

type Registries =
  | "pending"
  | "pendingTokens"
  | "claims"
  | "responseUrls"
  | "cardChat"
  | "instanceId"
  | "home"
  | "live"
  | "cards";
export type BotContextParts = Omit<BotContext, Registries> & Partial<Pick<BotContext, Registries>>;

/** The context with registries on `parts.store` for whatever `parts` does not bring. */
export function createBotContext(parts: BotContextParts): BotContext {
  const instanceId = parts.instanceId ?? newInstanceId();
  const { store, logger } = parts;
  const live = parts.live ?? createMemoryLiveState(parts.now);
  return {
    ...parts,
    instanceId,
    pending: parts.pending ?? createPendingCommands(store),
    pendingTokens: parts.pendingTokens ?? createPendingTokens(store),
    claims: parts.claims ?? new OnceRegistry({ shared: store, owner: instanceId, logger }),
    responseUrls:
      parts.responseUrls ?? createResponseUrls(fetch, { slackApiUrl: parts.config.slack.apiUrl }),
    cardChat:
      parts.cardChat ??
      createCardChat({ apiUrl: parts.config.slack.apiUrl, token: parts.config.slack.botToken }),
    home: parts.home ?? new HomePublishes(() => parts.now().getTime()),
    live,
    cards: parts.cards ?? plainLiveCards((card) => live.recordCard(card)),
  };
}

/** Unique per process start: host, pid and a random part (pids repeat across machines). */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}
