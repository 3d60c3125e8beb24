/**
 * Postgres for tests: `.ci/run` starts a throwaway server and exports DATABASE_URL. Without it
 * the Postgres tests skip, saying why, except in CI, where a missing database is a failure.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;

export const SKIP_REASON =
  "DATABASE_URL is unset: skipping the Postgres store tests (bash .ci/run starts a throwaway PostgreSQL and sets it)";

if (!DATABASE_URL) {
  if (process.env.CI) {
    throw new Error(
      "CI is set but DATABASE_URL is not: the Postgres store tests must run in CI (.ci/run starts PostgreSQL)",
    );
  }
  process.stderr.write(`${SKIP_REASON}\n`);
}

/** The database URL with `search_path` set to `schema`, so each test gets its own tables. */
export function urlForSchema(schema: string, extra: Record<string, string> = {}): string {
  if (!DATABASE_URL) throw new Error(SKIP_REASON);
  const url = new URL(DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  return url.toString();
}

export interface TestSchema {
  name: string;
  url: string;
  /** Runs SQL in the schema (inspection and tampering in tests). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** A client of its own in the schema, e.g. to hold a row lock. */
  client(): Promise<pg.Client>;
  drop(): Promise<void>;
}

/** A new, empty schema in the test database. */
export async function createTestSchema(): Promise<TestSchema> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: urlForSchema(name) });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  const clients: pg.Client[] = [];
  return {
    name,
    url: urlForSchema(name),
    query: (sql, params) => admin.query(sql, params),
    async client() {
      const c = new pg.Client({ connectionString: urlForSchema(name) });
      await c.connect();
      clients.push(c);
      return c;
    },
    async drop() {
      for (const c of clients.splice(0)) await c.end().catch(() => {});
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      await admin.end();
    },
  };
}
