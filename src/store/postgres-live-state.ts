import type pg from "pg";
import { sealToken } from "./crypto.ts";
import {
  cardFromRow,
  cardValues,
  type LiveRow,
  liveRunFromRow,
  subscriptionFromRow,
  webhookAad,
  webhookSecretFromRow,
} from "./live-rows.ts";
import { assertCardInput, assertSecretInput, type LiveState } from "./live-state.ts";
import { secretHash } from "./memory-live-state.ts";

const time = (v: unknown) => v as Date;
const toCard = (row: LiveRow) => cardFromRow(row, time);
const toSub = (row: LiveRow) => subscriptionFromRow(row, time);

/** Live-card state in Postgres (migration 3), shared by every instance. */
export function createPostgresLiveState(
  pool: pg.Pool,
  key: Buffer,
  now: () => Date,
  ensureOpen: () => void,
): LiveState {
  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
    ensureOpen();
    return pool.query<R>(sql, params);
  };
  const toSecret = (row: LiveRow) => webhookSecretFromRow(row, time, key);

  return {
    async recordCard(c) {
      ensureOpen();
      assertCardInput(c);
      await query(
        `INSERT INTO cards (team_id, channel, ts, run_id, kind, org_id, task_id, url, user_id,
           fingerprint, created_at, active_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
         ON CONFLICT (team_id, channel, ts) DO UPDATE SET run_id = excluded.run_id,
           kind = excluded.kind, org_id = excluded.org_id, task_id = excluded.task_id,
           url = excluded.url, user_id = excluded.user_id, fingerprint = excluded.fingerprint,
           active_at = excluded.active_at`,
        [...cardValues(c), now()],
      );
    },
    async cardsForRun(runId) {
      const r = await query<LiveRow>(
        "SELECT * FROM cards WHERE run_id = $1 ORDER BY created_at, channel, ts",
        [runId],
      );
      return r.rows.map(toCard);
    },
    async touchCard(teamId, channel, ts, fingerprint) {
      const r = await query(
        "UPDATE cards SET fingerprint = $1 WHERE team_id = $2 AND channel = $3 AND ts = $4",
        [fingerprint, teamId, channel, ts],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async touchRun(runId) {
      await query("UPDATE cards SET active_at = $1 WHERE run_id = $2", [now(), runId]);
    },
    async forgetCard(teamId, channel, ts) {
      const r = await query("DELETE FROM cards WHERE team_id = $1 AND channel = $2 AND ts = $3", [
        teamId,
        channel,
        ts,
      ]);
      return (r.rowCount ?? 0) > 0;
    },
    async pruneCards(before) {
      const r = await query("DELETE FROM cards WHERE created_at < $1", [before]);
      return r.rowCount ?? 0;
    },
    async liveRuns(limit) {
      const r = await query<LiveRow>(
        `SELECT run_id, max(org_id) AS org_id, min(team_id) AS team_id, max(user_id) AS user_id,
           max(active_at) AS active_at, count(*) AS n
         FROM cards GROUP BY run_id ORDER BY max(active_at) DESC, run_id LIMIT $1`,
        [limit],
      );
      return r.rows.map((row) => liveRunFromRow(row, time));
    },

    async putWebhookSecret(input) {
      ensureOpen();
      assertSecretInput(input);
      const r = await query<LiveRow>(
        `INSERT INTO webhook_secrets (org_id, secret_hash, secret_sealed, team_id, user_id,
           created_at, last_arrived_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)
         ON CONFLICT (org_id) DO UPDATE SET secret_hash = excluded.secret_hash,
           secret_sealed = excluded.secret_sealed, team_id = excluded.team_id,
           user_id = excluded.user_id, created_at = excluded.created_at, last_arrived_at = NULL
         RETURNING *`,
        [
          input.orgId,
          secretHash(input.secret),
          sealToken(key, input.secret, webhookAad(input.orgId)),
          input.teamId,
          input.userId,
          now(),
        ],
      );
      const row = r.rows[0];
      if (!row) throw new Error("The webhook secret was not saved");
      return toSecret(row);
    },
    async webhookSecretFor(orgId) {
      const r = await query<LiveRow>("SELECT * FROM webhook_secrets WHERE org_id = $1", [orgId]);
      return r.rows[0] ? toSecret(r.rows[0]) : undefined;
    },
    async webhookBySecret(secret) {
      const r = await query<LiveRow>("SELECT * FROM webhook_secrets WHERE secret_hash = $1", [
        secretHash(secret),
      ]);
      return r.rows[0] ? toSecret(r.rows[0]) : undefined;
    },
    async markWebhookArrived(orgId, at) {
      await query("UPDATE webhook_secrets SET last_arrived_at = $1 WHERE org_id = $2", [at, orgId]);
    },

    async subscribe(s) {
      const r = await query<{ inserted: boolean }>(
        `INSERT INTO subscriptions (team_id, channel, template_id, org_id, template_title,
           created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (team_id, channel, template_id) DO UPDATE SET org_id = excluded.org_id,
           template_title = excluded.template_title, created_by = excluded.created_by
         RETURNING (xmax = 0) AS inserted`,
        [s.teamId, s.channel, s.templateId, s.orgId, s.templateTitle, s.createdBy, now()],
      );
      return r.rows[0]?.inserted === true;
    },
    async unsubscribe(teamId, channel, templateId) {
      const r = await query(
        "DELETE FROM subscriptions WHERE team_id = $1 AND channel = $2 AND template_id = $3",
        [teamId, channel, templateId],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async subscriptionsIn(teamId, channel) {
      const r = await query<LiveRow>(
        "SELECT * FROM subscriptions WHERE team_id = $1 AND channel = $2 ORDER BY created_at, template_id",
        [teamId, channel],
      );
      return r.rows.map(toSub);
    },
    async subscribersOf(orgId, templateId) {
      const r = await query<LiveRow>(
        "SELECT * FROM subscriptions WHERE org_id = $1 AND template_id = $2 ORDER BY created_at, channel",
        [orgId, templateId],
      );
      return r.rows.map(toSub);
    },

    async notificationsOn(teamId, userId) {
      const r = await query<{ dms_on: boolean }>(
        "SELECT dms_on FROM notification_settings WHERE team_id = $1 AND user_id = $2",
        [teamId, userId],
      );
      return r.rows[0]?.dms_on ?? true;
    },
    async setNotifications(teamId, userId, on) {
      await query(
        `INSERT INTO notification_settings (team_id, user_id, dms_on) VALUES ($1, $2, $3)
         ON CONFLICT (team_id, user_id) DO UPDATE SET dms_on = excluded.dms_on`,
        [teamId, userId, on],
      );
    },
  };
}
