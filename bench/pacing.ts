/**
 * Measure 3, Tallyfy's rate limit: the sandbox allows 100 requests a minute per organization
 * (429 with Retry-After beyond it), the bot has just started (it knows nothing of the budget),
 * and 150 people run `/tallyfy show` of 150 distinct runs at once. Counted per person: the card,
 * any error, and, for whoever waited more than 5 s, whether the "pacing us" note came first and
 * was taken away when the card came. Counted for Tallyfy: requests and 429s.
 */
import { type BenchContext, pollFor, sleep } from "./context.ts";
import { commandBody, sign } from "./load.ts";

export const PACING_TEXT = "Tallyfy is pacing us";
export const LIMIT = { requests: 100, windowMs: 60_000 };

export interface Paced {
  people: number;
  cards: number;
  /** Error notices or failed posts a person saw. */
  errors: number;
  /** People whose card came more than 5 s after their command. */
  waitedOver5s: number;
  /** Of those, how many saw the note before their card. */
  notedFirst: number;
  /** Notes that were deleted (replaced by the card). */
  notesDeleted: number;
  notes: number;
  /** Seconds from the burst to the last card. */
  lastCardS: number;
  requests: number;
  throttled: number;
}

export async function measurePacing(ctx: BenchContext, people = 150): Promise<Paced> {
  const runs = await ctx.control.seedRuns(people, "BP");
  const minted = await ctx.control.mint(people);
  const start = await ctx.control.marks();
  const throttledBefore = await ctx.control.throttled();
  const pool = ctx.bot.pool(people);
  const sentAt = Date.now();
  const acks = await Promise.all(
    runs.map((run, i) =>
      ctx.bot.send(
        pool,
        sign(
          ctx.bot.secret,
          commandBody(ctx.who, `show ${run.id}`, minted[i]!.responseUrl, `p.${i}`),
        ),
      ),
    ),
  );
  const ackFailures = acks.filter((a) => a.status !== 200).length;
  // One window, then the next: every card within ~2 windows, or it is counted missing.
  await pollFor(
    async () =>
      (await ctx.control.cards(start.calls, "BP")).filter((c) => c.ok).length >= people
        ? true
        : undefined,
    2 * LIMIT.windowMs + 30_000,
    500,
  );
  await sleep(1_000);
  const cards = await ctx.control.cards(start.calls, "BP");
  const replies = await ctx.control.replies(start.responses);
  const requests = (await ctx.control.tallyfyRequests(start.tallyfy)).length;
  const throttled = (await ctx.control.throttled()) - throttledBefore;

  const cardAt = new Map(cards.filter((c) => c.ok).map((c) => [c.key, c.at]));
  let waitedOver5s = 0;
  let notedFirst = 0;
  for (const [i, run] of runs.entries()) {
    const at = cardAt.get(run.key);
    if (at === undefined || at - sentAt <= 5_000) continue;
    waitedOver5s++;
    const id = minted[i]!.responseUrl.split("/").pop();
    const note = replies.find((r) => r.id === id && r.text?.includes(PACING_TEXT));
    if (note && note.at <= at) notedFirst++;
  }
  const notes = replies.filter((r) => r.text?.includes(PACING_TEXT));
  const noteIds = new Set(notes.map((n) => n.id));
  const notesDeleted = new Set(
    replies.filter((r) => r.deleted && noteIds.has(r.id)).map((r) => r.id),
  ).size;
  const errors =
    ackFailures +
    cards.filter((c) => !c.ok).length +
    replies.filter((r) => r.notice || r.status !== 200).length;
  return {
    people,
    cards: cardAt.size,
    errors,
    waitedOver5s,
    notedFirst,
    notesDeleted,
    notes: notes.length,
    lastCardS: (Math.max(...cardAt.values()) - sentAt) / 1000,
    requests,
    throttled,
  };
}
