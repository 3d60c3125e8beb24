import type { DatabaseSync, SQLOutputValue } from "node:sqlite";
import { sealToken } from "./crypto.ts";
import type { GroupCommit } from "./group-commit.ts";
import {
  cardFromRow,
  cardValues,
  liveRunFromRow,
  subscriptionFromRow,
  webhookAad,
  webhookSecretFromRow,
} from "./live-rows.ts";
import { assertCardInput, assertSecretInput, type LiveState } from "./live-state.ts";
import { secretHash } from "./memory-live-state.ts";

type Row = Record<string, SQLOutputValue>;
const ms = (v: SQLOutputValue | undefined) =>
  typeof v === "number" || typeof v === "bigint" ? Number(v) : 0;
const time = (v: unknown) => new Date(ms(v as SQLOutputValue));
const toCard = (row: Row) => cardFromRow(row, time);

/** Live-card state in the SQLite file (migration 3); webhook secrets sealed with the key. */
export function createSqliteLiveState(
  db: DatabaseSync,
  key: Buffer,
  now: () => Date,
  ensureOpen: () => void,
  group: GroupCommit,
): LiveState {
  const q = (sql: string) => db.prepare(sql);
  const upsertCard = q(`
    INSERT INTO cards (team_id, channel, ts, run_id, kind, org_id, task_id, url, user_id,
      fingerprint, created_at, active_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (team_id, channel, ts) DO UPDATE SET run_id = excluded.run_id,
      kind = excluded.kind, org_id = excluded.org_id, task_id = excluded.task_id,
      url = excluded.url, user_id = excluded.user_id, fingerprint = excluded.fingerprint,
      active_at = excluded.active_at`);
  const byRun = q("SELECT * FROM cards WHERE run_id = ? ORDER BY created_at, channel, ts");
  const touch = q("UPDATE cards SET fingerprint = ? WHERE team_id = ? AND channel = ? AND ts = ?");
  const touchRun = q("UPDATE cards SET active_at = ? WHERE run_id = ?");
  const forget = q("DELETE FROM cards WHERE team_id = ? AND channel = ? AND ts = ?");
  const prune = q("DELETE FROM cards WHERE created_at < ?");
  const live = q(`
    SELECT run_id, max(org_id) AS org_id, min(team_id) AS team_id, max(user_id) AS user_id,
      max(active_at) AS active_at, count(*) AS n
    FROM cards GROUP BY run_id ORDER BY max(active_at) DESC, run_id LIMIT ?`);
  const putSecret = q(`
    INSERT INTO webhook_secrets (org_id, secret_hash, secret_sealed, team_id, user_id, created_at,
      last_arrived_at) VALUES (?, ?, ?, ?, ?, ?, NULL)
    ON CONFLICT (org_id) DO UPDATE SET secret_hash = excluded.secret_hash,
      secret_sealed = excluded.secret_sealed, team_id = excluded.team_id,
      user_id = excluded.user_id, created_at = excluded.created_at, last_arrived_at = NULL`);
  const secretOf = q("SELECT * FROM webhook_secrets WHERE org_id = ?");
  const secretBy = q("SELECT * FROM webhook_secrets WHERE secret_hash = ?");
  const arrived = q("UPDATE webhook_secrets SET last_arrived_at = ? WHERE org_id = ?");
  const subscribe = q(`
    INSERT INTO subscriptions (team_id, channel, template_id, org_id, template_title, created_by,
      created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (team_id, channel, template_id) DO NOTHING RETURNING template_id`);
  const refreshSub = q(`
    UPDATE subscriptions SET org_id = ?, template_title = ?, created_by = ?
    WHERE team_id = ? AND channel = ? AND template_id = ?`);
  const unsubscribe = q(
    "DELETE FROM subscriptions WHERE team_id = ? AND channel = ? AND template_id = ?",
  );
  const subsIn = q(
    "SELECT * FROM subscriptions WHERE team_id = ? AND channel = ? ORDER BY created_at, template_id",
  );
  const subsOf = q(
    "SELECT * FROM subscriptions WHERE org_id = ? AND template_id = ? ORDER BY created_at, channel",
  );
  const getSetting = q(
    "SELECT dms_on FROM notification_settings WHERE team_id = ? AND user_id = ?",
  );
  const putSetting = q(`
    INSERT INTO notification_settings (team_id, user_id, dms_on) VALUES (?, ?, ?)
    ON CONFLICT (team_id, user_id) DO UPDATE SET dms_on = excluded.dms_on`);

  const toSecret = (row: Row) => webhookSecretFromRow(row, time, key);
  const toSub = (row: Row) => subscriptionFromRow(row, time);
  const t = () => now().getTime();

  return {
    async recordCard(c) {
      ensureOpen();
      assertCardInput(c);
      // One per card posted: committed with the others of this turn (group-commit.ts).
      await group.write(() => {
        const at = t();
        upsertCard.run(...cardValues(c), at, at);
      });
    },
    async cardsForRun(runId) {
      ensureOpen();
      return byRun.all(runId).map(toCard);
    },
    async touchCard(teamId, channel, ts, fingerprint) {
      ensureOpen();
      return Number(touch.run(fingerprint, teamId, channel, ts).changes) > 0;
    },
    async touchRun(runId) {
      ensureOpen();
      touchRun.run(t(), runId);
    },
    async forgetCard(teamId, channel, ts) {
      ensureOpen();
      return Number(forget.run(teamId, channel, ts).changes) > 0;
    },
    async pruneCards(before) {
      ensureOpen();
      return Number(prune.run(before.getTime()).changes);
    },
    async liveRuns(limit) {
      ensureOpen();
      return live.all(limit).map((row) => liveRunFromRow(row, time));
    },

    async putWebhookSecret(input) {
      ensureOpen();
      assertSecretInput(input);
      const sealed = sealToken(key, input.secret, webhookAad(input.orgId));
      putSecret.run(input.orgId, secretHash(input.secret), sealed, input.teamId, input.userId, t());
      const row = secretOf.get(input.orgId);
      if (!row) throw new Error("The webhook secret was not saved");
      return toSecret(row);
    },
    async webhookSecretFor(orgId) {
      ensureOpen();
      const row = secretOf.get(orgId);
      return row ? toSecret(row) : undefined;
    },
    async webhookBySecret(secret) {
      ensureOpen();
      const row = secretBy.get(secretHash(secret));
      return row ? toSecret(row) : undefined;
    },
    async markWebhookArrived(orgId, at) {
      ensureOpen();
      arrived.run(at.getTime(), orgId);
    },

    async subscribe(s) {
      ensureOpen();
      const added = subscribe.get(
        s.teamId,
        s.channel,
        s.templateId,
        s.orgId,
        s.templateTitle,
        s.createdBy,
        t(),
      );
      if (added) return true;
      refreshSub.run(s.orgId, s.templateTitle, s.createdBy, s.teamId, s.channel, s.templateId);
      return false;
    },
    async unsubscribe(teamId, channel, templateId) {
      ensureOpen();
      return Number(unsubscribe.run(teamId, channel, templateId).changes) > 0;
    },
    async subscriptionsIn(teamId, channel) {
      ensureOpen();
      return subsIn.all(teamId, channel).map(toSub);
    },
    async subscribersOf(orgId, templateId) {
      ensureOpen();
      return subsOf.all(orgId, templateId).map(toSub);
    },

    async notificationsOn(teamId, userId) {
      ensureOpen();
      const row = getSetting.get(teamId, userId);
      return row ? ms(row.dms_on) !== 0 : true;
    },
    async setNotifications(teamId, userId, on) {
      ensureOpen();
      putSetting.run(teamId, userId, on ? 1 : 0);
    },
  };
}
