import type { DatabaseSync } from "node:sqlite";
// Not the global: a test's fake timers must not hold a store's writes back.
import { setImmediate } from "node:timers";

/**
 * Writes made in one turn of the event loop, committed together. Each SQLite commit appends to
 * the WAL and, every 1,000 pages, checkpoints it (with an fsync) on the caller's thread: a card
 * record and a replay key per command made a burst of 200 commands ~400 commits, 7% of the
 * bot's CPU in issue 18's profile. Gathered, they are one commit per turn.
 *
 * A write's promise settles after its commit, so `await` still means "stored, and visible to
 * every connection", as before. Each statement keeps its own atomicity (a claim or a replay key
 * is still decided by one statement), and the write lock is taken and let go within one
 * synchronous flush, never across turns: another connection waits at most one flush.
 */
export interface GroupCommit {
  write<T>(statement: () => T): Promise<T>;
  /** Commits what is waiting now (before closing the database). */
  flush(): void;
}

interface Job {
  statement: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export function createGroupCommit(db: DatabaseSync): GroupCommit {
  let waiting: Job[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const jobs = waiting;
    waiting = [];
    if (jobs.length === 0) return;
    const failAll = (error: unknown) => {
      for (const job of jobs) job.reject(error);
    };
    if (!db.isOpen) return failAll(new Error("The connection store is closed"));
    try {
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      return failAll(error);
    }
    // A statement that fails is undone alone (SQLite's default); the others still commit.
    const results = jobs.map((job) => {
      try {
        return { ok: true as const, value: job.statement() };
      } catch (error) {
        return { ok: false as const, error };
      }
    });
    try {
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      return failAll(error);
    }
    jobs.forEach((job, i) => {
      const r = results[i]!;
      if (r.ok) job.resolve(r.value);
      else job.reject(r.error);
    });
  };

  return {
    write<T>(statement: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ statement, resolve: resolve as (v: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flush,
  };
}
