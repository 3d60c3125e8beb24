/**
 * The live-card machinery of one bot: the card registry, the webhook receiver and what it
 * triggers, the fan-out (its own Slack client and budget) and the reconcile loop. Made once in
 * createBot; nothing here is shared between bots.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "../../log.ts";
import type { BotContext } from "../../slack/context.ts";
import type { LiveCards } from "../../slack/live-cards.ts";
import type { WebClient } from "../../slack/web-client.ts";
import { WorkStopped } from "../../slack/work-queue.ts";
import type { CardInput } from "../../store/live-state.ts";
import { createMemorySharedState, type SharedState } from "../../store/shared-state.ts";
import type { Tallyfy } from "../../tallyfy/api.ts";
import type { WorkScope } from "../../tallyfy/work-scope.ts";
import { postToSubscribers } from "../subscriptions/on-launch.ts";
import { createDeliveries, type Deliveries } from "../webhooks/deliveries.ts";
import { webhookRoute } from "../webhooks/receiver.ts";
import { createFanout, type Fanout } from "./fanout.ts";
import { createReconciler, type Reconciler } from "./reconcile.ts";
import { createRequestLog } from "./request-log.ts";

export interface LiveEngineOptions {
  bot: BotContext;
  /** The fan-out's own client (not app.client): its rate limits never touch a person's calls. */
  client: WebClient;
  /** The store (claims and seen keys are shared by every instance when it is Postgres). */
  store: object;
  teamId: () => Promise<string>;
  logger: Logger;
  /** How long one run's webhooks are gathered before acting. Default 1 s. */
  webhookWindowMs?: number;
  /** How often the reconcile loop runs a round. Default 2 s; 0: only on tick() (tests). */
  reconcileIntervalMs?: number;
}

export interface LiveEngine {
  cards: LiveCards;
  route: ReturnType<typeof webhookRoute>;
  deliveries: Deliveries;
  fanout: Fanout;
  reconcile: Reconciler;
  /** Tallyfy requests the live-card work sent to an organization in the last minute. */
  requestsLastMinute(orgId: string): number;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Scopes for the engine's Tallyfy calls: once the bot is stopping, none of them waits for an
 * organization's budget (a blocked org could hold a reconcile read for minutes); what can go
 * at once (the last webhook deliveries) still does.
 */
function stoppableWaits() {
  const waiting = new Set<AbortController>();
  let stopping = false;
  const stopped = () =>
    new WorkStopped("the bot is stopping; live cards catch up on the next start");
  return {
    scope(): WorkScope {
      const call = new AbortController();
      return {
        signal: call.signal,
        held(wait) {
          if (!wait) waiting.delete(call);
          else if (stopping) call.abort(stopped());
          else waiting.add(call);
        },
        sending() {},
        refused() {},
        inHand: () => false,
      };
    },
    stop() {
      stopping = true;
      for (const call of waiting) call.abort(stopped());
      waiting.clear();
    },
  };
}

const isShared = (store: object): store is SharedState =>
  typeof (store as Partial<SharedState>).seenOnce === "function";

export function createLiveEngine(opts: LiveEngineOptions): LiveEngine {
  const { bot } = opts;
  const shared = isShared(opts.store) ? opts.store : createMemorySharedState(bot.now);
  const requests = createRequestLog(bot.now);
  // Its own Tallyfy client, so every request it sends is counted (the reconcile loop's own
  // allowance), on the bot's per-organization budgets: nobody waits for this work, so its calls
  // are background and a person's commands and clicks go first when an organization's budget
  // is short (issue 18).
  const tallyfy: Tallyfy = bot.tallyfy.sharingBudget({
    dispatcher: requests.dispatcher,
    priority: "background",
  });
  const waits = stoppableWaits();
  tallyfy.useWorkScope(() => waits.scope());
  const fanout = createFanout({ client: opts.client, logger: opts.logger });
  const deliveries = createDeliveries({
    bot,
    tallyfy,
    fanout,
    client: opts.client,
    shared,
    teamId: opts.teamId,
    ...(opts.webhookWindowMs !== undefined ? { windowMs: opts.webhookWindowMs } : {}),
  });
  const reconcile = createReconciler({
    bot,
    tallyfy,
    fanout,
    requests,
    perMinute: bot.config.live.reconcileRequestsPerMinute,
  });
  const launches = new Set<Promise<unknown>>();

  const cards: LiveCards = {
    async record(card: CardInput) {
      try {
        await bot.live.recordCard(card);
      } catch (error) {
        opts.logger.warn("could not record a card", { error: (error as Error).message });
      }
    },
    launched({ api, run, channel }) {
      const job = postToSubscribers({ bot, client: opts.client, shared }, api, run, channel)
        .catch((error: unknown) =>
          opts.logger.warn("could not post to subscribed channels", {
            error: (error as Error).message,
          }),
        )
        .finally(() => launches.delete(job));
      launches.add(job);
    },
  };

  return {
    cards,
    route: webhookRoute({ live: bot.live, logger: opts.logger, deliver: deliveries.deliver }),
    deliveries,
    fanout,
    reconcile,
    requestsLastMinute: (orgId) => requests.lastMinute(orgId),
    start() {
      reconcile.start(opts.reconcileIntervalMs);
    },
    async stop() {
      waits.stop();
      await reconcile.stop();
      await deliveries.flush();
      await Promise.all(launches);
      await tallyfy.close();
      await requests.close();
    },
  };
}

/** An unguessable webhook secret: 32 random bytes, URL-safe. */
export const newWebhookSecret = () => randomBytes(32).toString("base64url");
