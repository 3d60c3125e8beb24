/**
 * Live-state rows <-> records, shared by the SQLite and Postgres stores: the columns are the
 * same, only how a time comes back differs (epoch ms in SQLite, a Date from Postgres).
 */
import { openToken } from "./crypto.ts";
import type {
  CardInput,
  CardKind,
  CardRecord,
  LiveRun,
  Subscription,
  WebhookSecret,
} from "./live-state.ts";

export type LiveRow = Record<string, unknown>;
/** A stored time column as a Date. */
export type RowTime = (v: unknown) => Date;

const text = (v: unknown) => (typeof v === "string" ? v : null);

/** The values of a card upsert, in column order (team_id … fingerprint); the times follow. */
export const cardValues = (c: CardInput) => [
  c.teamId,
  c.channel,
  c.ts,
  c.runId,
  c.kind,
  c.orgId ?? null,
  c.taskId ?? null,
  c.url ?? null,
  c.userId ?? null,
  c.fingerprint ?? null,
];

export const cardFromRow = (row: LiveRow, time: RowTime): CardRecord => ({
  teamId: String(row.team_id),
  channel: String(row.channel),
  ts: String(row.ts),
  runId: String(row.run_id),
  kind: String(row.kind) as CardKind,
  orgId: text(row.org_id),
  taskId: text(row.task_id),
  url: text(row.url),
  userId: text(row.user_id),
  fingerprint: text(row.fingerprint),
  createdAt: time(row.created_at),
  activeAt: time(row.active_at),
});

/** A row of the liveRuns query (one per run, `n` its card count). */
export const liveRunFromRow = (row: LiveRow, time: RowTime): LiveRun => ({
  runId: String(row.run_id),
  orgId: text(row.org_id),
  teamId: String(row.team_id),
  userId: text(row.user_id),
  activeAt: time(row.active_at),
  cards: Number(row.n),
});

export const subscriptionFromRow = (row: LiveRow, time: RowTime): Subscription => ({
  teamId: String(row.team_id),
  channel: String(row.channel),
  orgId: String(row.org_id),
  templateId: String(row.template_id),
  templateTitle: String(row.template_title),
  createdBy: String(row.created_by),
  createdAt: time(row.created_at),
});

/** The AAD a webhook secret is sealed with: it opens only as that organization's. */
export const webhookAad = (orgId: string) => `webhook\u0000${orgId}`;

export const webhookSecretFromRow = (row: LiveRow, time: RowTime, key: Buffer): WebhookSecret => ({
  orgId: String(row.org_id),
  secret: openToken(key, String(row.secret_sealed), webhookAad(String(row.org_id))),
  teamId: String(row.team_id),
  userId: text(row.user_id),
  createdAt: time(row.created_at),
  lastArrivedAt: row.last_arrived_at == null ? null : time(row.last_arrived_at),
});
