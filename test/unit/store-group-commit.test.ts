import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createGroupCommit } from "../../src/store/group-commit.ts";

describe("group commit", () => {
  let dir: string;
  let db: DatabaseSync;
  let other: DatabaseSync;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "group-commit-"));
    db = new DatabaseSync(join(dir, "x.sqlite"));
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
    other = new DatabaseSync(join(dir, "x.sqlite"));
  });
  afterEach(() => {
    if (db.isOpen) db.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const insert = (k: string) => () => db.prepare("INSERT INTO t (k) VALUES (?)").run(k);
  const keysSeenByAnother = () =>
    other
      .prepare("SELECT k FROM t ORDER BY k")
      .all()
      .map((r) => r.k);

  it("commits the writes of one turn together, and each settles once visible to another connection", async () => {
    const group = createGroupCommit(db);
    const exec = vi.spyOn(db, "exec");
    const writes = ["a", "b", "c", "d"].map((k) =>
      group.write(insert(k)).then(() => keysSeenByAnother()),
    );
    // Nothing is committed within the turn that made the writes.
    expect(keysSeenByAnother()).toEqual([]);
    for (const seen of await Promise.all(writes)) expect(seen).toEqual(["a", "b", "c", "d"]);
    expect(exec.mock.calls.map((c) => c[0])).toEqual(["BEGIN IMMEDIATE", "COMMIT"]);
  });

  it("gives each write its statement's result, and fails only the statement that failed", async () => {
    const group = createGroupCommit(db);
    const results = await Promise.allSettled([
      group.write(() => Number(insert("a")().changes)),
      group.write(insert("a")),
      group.write(() => "third"),
      group.write(insert("b")),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect((results[0] as PromiseFulfilledResult<number>).value).toBe(1);
    expect((results[2] as PromiseFulfilledResult<string>).value).toBe("third");
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(keysSeenByAnother()).toEqual(["a", "b"]);
  });

  it("commits writes of different turns separately", async () => {
    const group = createGroupCommit(db);
    const exec = vi.spyOn(db, "exec");
    await group.write(insert("a"));
    await group.write(insert("b"));
    expect(exec.mock.calls.filter((c) => c[0] === "COMMIT")).toHaveLength(2);
  });

  it("flush commits what waits at once; a closed database fails the waiting writes", async () => {
    const group = createGroupCommit(db);
    const first = group.write(insert("a"));
    group.flush();
    expect(keysSeenByAnother()).toEqual(["a"]);
    await first;
    const late = group.write(insert("b"));
    db.close();
    await expect(late).rejects.toThrow(/closed/);
  });

  it("is not held back by fake timers", async () => {
    vi.useFakeTimers();
    try {
      const group = createGroupCommit(db);
      await group.write(insert("a"));
      expect(keysSeenByAnother()).toEqual(["a"]);
    } finally {
      vi.useRealTimers();
    }
  });
});
