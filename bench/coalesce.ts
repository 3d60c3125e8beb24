/**
 * Measure 2, one read for many clicks: 200 `/tallyfy show` of one run by one person at once, and
 * 50 Refresh clicks on one card at once, with the sandbox at 100 ms. Counted: the run reads
 * Tallyfy saw, and the cards (posts or redraws) that came back.
 */
import type { BenchContext } from "./context.ts";
import { pollFor, sleep } from "./context.ts";
import { commandBody, sign } from "./load.ts";

export interface Coalesced {
  shows: { sent: number; reads: number; cards: number };
  refreshes: { sent: number; reads: number; redraws: number; acked: number };
}

function readsOf(paths: { method: string; path: string }[], runId: string): number {
  return paths.filter((r) => r.method === "GET" && r.path.endsWith(`/runs/${runId}`)).length;
}

/** Polls `check` until it holds or `ms` pass. */
const waitUntil = (check: () => Promise<boolean>, ms: number) =>
  pollFor(async () => ((await check()) ? true : undefined), ms, 50);

export async function measureCoalescing(
  ctx: BenchContext,
  shows = 200,
  clicks = 50,
): Promise<Coalesced> {
  const [run] = await ctx.control.seedRuns(1, "BO");
  if (!run) throw new Error("no run seeded");
  await ctx.control.setLatency(100);
  try {
    // 200 shows of one run at once.
    const minted = await ctx.control.mint(shows);
    const marks = await ctx.control.marks();
    const pool = ctx.bot.pool(shows);
    await Promise.all(
      minted.map((m, i) =>
        ctx.bot.send(
          pool,
          sign(ctx.bot.secret, commandBody(ctx.who, `show ${run.id}`, m.responseUrl, `co.${i}`)),
        ),
      ),
    );
    const posted = async () => (await ctx.control.cards(marks.calls, "BO")).length;
    await waitUntil(async () => (await posted()) >= shows, 30_000);
    const showReads = readsOf(await ctx.control.tallyfyRequests(marks.tallyfy), run.id);
    const cards = (await ctx.control.cards(marks.calls, "BO")).filter((c) => c.ok);

    // 50 Refresh clicks on one of those cards at once.
    const card = cards[0];
    if (!card?.ts) throw new Error("no card to click");
    await sleep(300);
    const before = await ctx.control.marks();
    const answers = await Promise.all(
      Array.from({ length: clicks }, () =>
        ctx.control.click({ channel: ctx.who.channel.id, ts: card.ts! }, "run_refresh"),
      ),
    );
    const redraws = async () =>
      (await ctx.control.calls(before.calls, "chat.update")).filter((c) => c.ts === card.ts).length;
    await waitUntil(async () => (await redraws()) >= clicks, 15_000);
    await sleep(300);
    return {
      shows: { sent: shows, reads: showReads, cards: cards.length },
      refreshes: {
        sent: clicks,
        reads: readsOf(await ctx.control.tallyfyRequests(before.tallyfy), run.id),
        redraws: await redraws(),
        acked: answers.filter((a) => a.status === 200).length,
      },
    };
  } finally {
    await ctx.control.setLatency(0);
  }
}
