/**
 * What happens after a delivery's 200: note that it arrived, drop a repeat (store-backed, so
 * every instance agrees), then gather the run's deliveries for a moment and act once per
 * burst: one read of the run, one redraw per card, DMs, subscribed channels' cards.
 */

import type { BotContext } from "../../slack/context.ts";
import type { WebClient } from "../../slack/web-client.ts";
import type { WebhookSecret } from "../../store/live-state.ts";
import type { SharedState } from "../../store/shared-state.ts";
import type { Tallyfy } from "../../tallyfy/api.ts";
import { isTallyfyError } from "../../tallyfy/errors.ts";
import { createCoalescer } from "../cards-registry/coalesce.ts";
import { apiForOrg } from "../cards-registry/connection.ts";
import type { Fanout } from "../cards-registry/fanout.ts";
import { refreshRun } from "../cards-registry/redraw.ts";
import { notifyNextTask, notifyProcessDone } from "../notifications/your-turn.ts";
import { postToSubscribers } from "../subscriptions/on-launch.ts";
import { dedupKey, type WebhookEvent } from "./payload.ts";

/** How long a delivery is remembered: Tallyfy's repeats come within minutes, not days. */
const DEDUP_TTL_MS = 7 * 24 * 60 * 60_000;

export interface DeliveryDeps {
  bot: BotContext;
  tallyfy: Tallyfy;
  fanout: Fanout;
  client: WebClient;
  shared: Pick<SharedState, "seenOnce">;
  teamId: () => Promise<string>;
  /** How long one run's deliveries are gathered before acting (default 1 s). */
  windowMs?: number;
}

export interface Deliveries {
  deliver(org: WebhookSecret, event: WebhookEvent): void;
  /** Acts on everything gathered now and waits for it (shutdown, tests). */
  flush(): Promise<void>;
  /** Runs read for webhooks so far (measurements). */
  readonly reads: number;
}

type Item = { org: WebhookSecret; event: WebhookEvent };

export function createDeliveries(deps: DeliveryDeps): Deliveries {
  const { bot } = deps;
  let reads = 0;
  const inFlight = new Set<Promise<void>>();

  const act = async (items: Item[]) => {
    const first = items[0];
    if (!first) return;
    const { org } = first;
    const runId = first.event.runId;
    const api = await apiForOrg(bot, deps.tallyfy, org.orgId);
    if (!api) {
      bot.logger.warn("no Tallyfy connection can read this organization's runs", {
        orgId: org.orgId,
      });
      return;
    }
    await bot.live.touchRun(runId);
    reads++;
    const { run } = await refreshRun(bot, deps.fanout, api, runId);
    const teamId = await deps.teamId();
    const dmDeps = { bot, fanout: deps.fanout, client: deps.client, shared: deps.shared, teamId };
    const kinds = new Set(items.map((i) => i.event.kind));
    if (kinds.has("process_launched")) {
      await postToSubscribers({ bot, client: deps.client, shared: deps.shared }, api, run);
    }
    if (kinds.has("task_completed")) await notifyNextTask(dmDeps, api, run);
    if (kinds.has("task_completed") || kinds.has("process_completed")) {
      await notifyProcessDone(dmDeps, api, run);
    }
  };

  const coalescer = createCoalescer<Item>({
    windowMs: deps.windowMs ?? 1_000,
    run: (_key, items) => act(items),
    onError: (error, key) =>
      bot.logger.warn("could not act on a Tallyfy webhook", {
        run: key,
        error: isTallyfyError(error) ? error.name : (error as Error).message,
      }),
  });

  const accept = async (org: WebhookSecret, event: WebhookEvent) => {
    await bot.live.markWebhookArrived(org.orgId, bot.now());
    if (!(await deps.shared.seenOnce(dedupKey(org.orgId, event), DEDUP_TTL_MS))) {
      bot.logger.info("ignored a repeated Tallyfy webhook", { orgId: org.orgId, kind: event.kind });
      return;
    }
    coalescer.add(`${org.orgId}:${event.runId}`, { org, event });
  };

  return {
    deliver(org, event) {
      const job = accept(org, event)
        .catch((error: unknown) =>
          bot.logger.warn("could not take a Tallyfy webhook", { error: (error as Error).message }),
        )
        .finally(() => inFlight.delete(job));
      inFlight.add(job);
    },
    async flush() {
      await Promise.all(inFlight);
      await coalescer.flush();
    },
    get reads() {
      return reads;
    },
  };
}
