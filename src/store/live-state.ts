/**
 * What keeps cards live (issue 15): the cards the bot posted, one webhook secret per Tallyfy
 * organization, channel subscriptions and people's notification setting. Every store (memory,
 * SQLite, Postgres) implements it; test/unit/store-contract.test.ts holds them to one contract.
 */

/** A status card, a task card or an unfurl. */
export type CardKind = "status" | "task" | "unfurl";
export const CARD_KINDS: readonly CardKind[] = ["status", "task", "unfurl"];

export interface CardInput {
  teamId: string;
  channel: string;
  /** The message's ts (for an unfurl: the ts of the message whose link was unfurled). */
  ts: string;
  runId: string;
  kind: CardKind;
  /** The Tallyfy organization of the run, when known. */
  orgId?: string | null | undefined;
  /** Task cards: the task shown. */
  taskId?: string | null | undefined;
  /** Unfurls: the link that was unfurled. */
  url?: string | null | undefined;
  /** The Slack user whose action posted it (their connection can re-read the run). */
  userId?: string | null | undefined;
  /** What the card showed (see features/cards-registry/fingerprint.ts); redraws skip a match. */
  fingerprint?: string | null | undefined;
}

export interface CardRecord {
  teamId: string;
  channel: string;
  ts: string;
  runId: string;
  kind: CardKind;
  orgId: string | null;
  taskId: string | null;
  url: string | null;
  userId: string | null;
  fingerprint: string | null;
  createdAt: Date;
  /** Last time the card was posted, redrawn or its run was reported changed. */
  activeAt: Date;
}

/** A run with live cards, for the reconcile loop. */
export interface LiveRun {
  runId: string;
  orgId: string | null;
  teamId: string;
  /** A connection that can re-read it when the organization has no other (who posted it). */
  userId: string | null;
  activeAt: Date;
  cards: number;
}

export interface WebhookSecret {
  orgId: string;
  secret: string;
  /** The Slack workspace and user whose connection re-reads runs (null user: the shared one). */
  teamId: string;
  userId: string | null;
  createdAt: Date;
  /** When a delivery last arrived with this secret; null until one does. */
  lastArrivedAt: Date | null;
}

export interface WebhookSecretInput {
  orgId: string;
  secret: string;
  teamId: string;
  userId: string | null;
}

export interface Subscription {
  teamId: string;
  channel: string;
  orgId: string;
  templateId: string;
  templateTitle: string;
  createdBy: string;
  createdAt: Date;
}

export type SubscriptionInput = Omit<Subscription, "createdAt">;

export interface LiveState {
  /** Inserts or replaces the card at (team, channel, ts); keeps createdAt of one already there. */
  recordCard(card: CardInput): Promise<void>;
  /** Every recorded card of a run, oldest first. */
  cardsForRun(runId: string): Promise<CardRecord[]>;
  /** After a redraw: what it now shows. False if the card is unknown. */
  touchCard(
    teamId: string,
    channel: string,
    ts: string,
    fingerprint: string | null,
  ): Promise<boolean>;
  /** Marks every card of the run active now (a webhook said it changed). */
  touchRun(runId: string): Promise<void>;
  /** A card deleted in Slack, or no longer wanted. True when a record was removed. */
  forgetCard(teamId: string, channel: string, ts: string): Promise<boolean>;
  /** Removes cards created before `before`; returns how many. */
  pruneCards(before: Date): Promise<number>;
  /** Runs with live cards, most recently active first, at most `limit`. */
  liveRuns(limit: number): Promise<LiveRun[]>;

  /** Sets (or rotates) the organization's secret; the old one stops working at once. */
  putWebhookSecret(input: WebhookSecretInput): Promise<WebhookSecret>;
  webhookSecretFor(orgId: string): Promise<WebhookSecret | undefined>;
  /** The organization a secret belongs to; compared in constant time where it is stored. */
  webhookBySecret(secret: string): Promise<WebhookSecret | undefined>;
  markWebhookArrived(orgId: string, at: Date): Promise<void>;

  /** True when the subscription is new. */
  subscribe(input: SubscriptionInput): Promise<boolean>;
  /** True when one was removed. */
  unsubscribe(teamId: string, channel: string, templateId: string): Promise<boolean>;
  subscriptionsIn(teamId: string, channel: string): Promise<Subscription[]>;
  subscribersOf(orgId: string, templateId: string): Promise<Subscription[]>;

  /** People get DMs unless they turned them off. */
  notificationsOn(teamId: string, userId: string): Promise<boolean>;
  setNotifications(teamId: string, userId: string, on: boolean): Promise<void>;
}

export function assertCardInput(c: CardInput): void {
  for (const k of ["teamId", "channel", "ts", "runId"] as const) {
    if (typeof c[k] !== "string" || c[k] === "") throw new TypeError(`A card needs ${k}`);
  }
  if (!CARD_KINDS.includes(c.kind)) throw new TypeError(`Unknown card kind ${String(c.kind)}`);
}

export function assertSecretInput(s: WebhookSecretInput): void {
  for (const k of ["orgId", "secret", "teamId"] as const) {
    if (typeof s[k] !== "string" || s[k] === "") throw new TypeError(`A webhook secret needs ${k}`);
  }
}

export const cardKey = (teamId: string, channel: string, ts: string) =>
  `${teamId}\u0000${channel}\u0000${ts}`;
