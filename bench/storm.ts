/**
 * Measure 5, webhook storm: 10 cards of one run, then 30 Tallyfy webhooks for that run within a
 * second (a task of it completed meanwhile, so the cards have something to show). Counted: the
 * run reads Tallyfy saw and the chat.update calls per card, once the bot has gone quiet.
 */
import { request } from "undici";
import { type BenchContext, pollFor, sleep } from "./context.ts";
import { commandBody, sign } from "./load.ts";

export interface Storm {
  events: number;
  cards: number;
  reads: number;
  /** chat.update per card, one entry per card. */
  updates: number[];
  webhookStatuses: Record<string, number>;
}

/** `/tallyfy webhooks` as an admin: the secret in the webhook URL it shows. */
async function webhookSecret(ctx: BenchContext): Promise<string> {
  const [minted] = await ctx.control.mint(1);
  const from = (await ctx.control.marks()).responses;
  await ctx.bot.send(
    ctx.bot.pool(1),
    sign(ctx.bot.secret, commandBody(ctx.who, "webhooks", minted!.responseUrl, "storm.admin")),
  );
  const secret = await pollFor(
    async () =>
      /\/tallyfy\/webhooks\/([A-Za-z0-9_-]+)/.exec(
        JSON.stringify(await ctx.control.replies(from)),
      )?.[1],
    5_000,
    50,
  );
  if (!secret) throw new Error("`/tallyfy webhooks` showed no webhook URL");
  return secret;
}

export async function measureStorm(
  ctx: BenchContext,
  orgId: string,
  cardCount = 10,
  events = 30,
): Promise<Storm> {
  const secret = await webhookSecret(ctx);
  const [run] = await ctx.control.seedRuns(1, "BS");
  if (!run) throw new Error("no run seeded");
  const start = await ctx.control.marks();
  const minted = await ctx.control.mint(cardCount);
  for (const [i, m] of minted.entries()) {
    await ctx.bot.send(
      ctx.bot.pool(1),
      sign(ctx.bot.secret, commandBody(ctx.who, `show ${run.id}`, m.responseUrl, `storm.${i}`)),
    );
  }
  let cards = await ctx.control.cards(start.calls, "BS");
  await pollFor(
    async () => {
      cards = await ctx.control.cards(start.calls, "BS");
      return cards.length >= cardCount ? true : undefined;
    },
    15_000,
    50,
  );
  // The card registry records each card after its post.
  await sleep(500);
  await ctx.control.completeTask(run.id);
  const before = await ctx.control.marks();
  const url = `${ctx.bot.origin}/tallyfy/webhooks/${secret}`;
  const statuses: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: events }, async (_, n) => {
      await sleep((n * 1000) / events);
      const res = await request(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-tallyfy-orgid": orgId },
        body: JSON.stringify({
          this_task: {
            id: n.toString(16).padStart(32, "0"),
            completed_at: new Date().toISOString(),
          },
          process: { id: run.id, organization_id: orgId, status: "active" },
          next_task: [],
        }),
      });
      await res.body.text();
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }),
  );
  // The bot gathers one run's webhooks for a window (1 s), then reads and redraws: let it finish.
  let quietSince = Date.now();
  let last = -1;
  while (Date.now() - quietSince < 2_500) {
    const n = (await ctx.control.calls(before.calls, "chat.update")).length;
    if (n !== last) {
      last = n;
      quietSince = Date.now();
    }
    await sleep(100);
  }
  const updates = await ctx.control.calls(before.calls, "chat.update");
  const reads = (await ctx.control.tallyfyRequests(before.tallyfy)).filter(
    (r) => r.method === "GET" && r.path.endsWith(`/runs/${run.id}`),
  ).length;
  return {
    events,
    cards: cards.length,
    reads,
    updates: cards.map((c) => updates.filter((u) => u.ts === c.ts).length),
    webhookStatuses: statuses,
  };
}
