import { createHash } from "node:crypto";
import {
  assertCardInput,
  assertSecretInput,
  type CardRecord,
  cardKey,
  type LiveRun,
  type LiveState,
  type Subscription,
  type WebhookSecret,
} from "./live-state.ts";

/** The lookup key of a webhook secret: stores keep this hash, never compare the secret itself. */
export const secretHash = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** Live-card state in memory: one instance, nothing survives a restart. */
export function createMemoryLiveState(
  now: () => Date = () => new Date(),
  ensureOpen: () => void = () => {},
): LiveState {
  const cards = new Map<string, CardRecord>();
  const secrets = new Map<string, WebhookSecret>();
  const subs = new Map<string, Subscription>();
  const muted = new Set<string>();
  const subKey = (teamId: string, channel: string, templateId: string) =>
    `${teamId}\u0000${channel}\u0000${templateId}`;
  const copy = <T extends object>(v: T): T => structuredClone(v);

  return {
    async recordCard(c) {
      ensureOpen();
      assertCardInput(c);
      const key = cardKey(c.teamId, c.channel, c.ts);
      const at = now();
      const old = cards.get(key);
      cards.set(key, {
        teamId: c.teamId,
        channel: c.channel,
        ts: c.ts,
        runId: c.runId,
        kind: c.kind,
        orgId: c.orgId ?? null,
        taskId: c.taskId ?? null,
        url: c.url ?? null,
        userId: c.userId ?? null,
        fingerprint: c.fingerprint ?? null,
        createdAt: old?.createdAt ?? at,
        activeAt: at,
      });
    },
    async cardsForRun(runId) {
      ensureOpen();
      return [...cards.values()]
        .filter((c) => c.runId === runId)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map(copy);
    },
    async touchCard(teamId, channel, ts, fingerprint) {
      ensureOpen();
      const card = cards.get(cardKey(teamId, channel, ts));
      if (!card) return false;
      card.fingerprint = fingerprint;
      return true;
    },
    async touchRun(runId) {
      ensureOpen();
      const at = now();
      for (const c of cards.values()) if (c.runId === runId) c.activeAt = at;
    },
    async forgetCard(teamId, channel, ts) {
      ensureOpen();
      return cards.delete(cardKey(teamId, channel, ts));
    },
    async pruneCards(before) {
      ensureOpen();
      let n = 0;
      for (const [k, c] of cards) {
        if (c.createdAt.getTime() < before.getTime()) {
          cards.delete(k);
          n++;
        }
      }
      return n;
    },
    async liveRuns(limit) {
      ensureOpen();
      const runs = new Map<string, LiveRun>();
      for (const c of cards.values()) {
        const r = runs.get(c.runId);
        if (!r) {
          runs.set(c.runId, {
            runId: c.runId,
            orgId: c.orgId,
            teamId: c.teamId,
            userId: c.userId,
            activeAt: c.activeAt,
            cards: 1,
          });
          continue;
        }
        r.cards++;
        if (c.activeAt > r.activeAt) r.activeAt = c.activeAt;
        r.orgId ??= c.orgId;
        r.userId ??= c.userId;
      }
      return [...runs.values()]
        .sort((a, b) => b.activeAt.getTime() - a.activeAt.getTime() || (a.runId < b.runId ? -1 : 1))
        .slice(0, limit)
        .map(copy);
    },

    async putWebhookSecret(input) {
      ensureOpen();
      assertSecretInput(input);
      const record: WebhookSecret = { ...input, createdAt: now(), lastArrivedAt: null };
      secrets.set(input.orgId, record);
      return copy(record);
    },
    async webhookSecretFor(orgId) {
      ensureOpen();
      const found = secrets.get(orgId);
      return found ? copy(found) : undefined;
    },
    async webhookBySecret(secret) {
      ensureOpen();
      const hash = secretHash(secret);
      for (const s of secrets.values()) if (secretHash(s.secret) === hash) return copy(s);
      return undefined;
    },
    async markWebhookArrived(orgId, at) {
      ensureOpen();
      const found = secrets.get(orgId);
      if (found) found.lastArrivedAt = at;
    },

    async subscribe(input) {
      ensureOpen();
      const key = subKey(input.teamId, input.channel, input.templateId);
      const isNew = !subs.has(key);
      subs.set(key, { ...input, createdAt: subs.get(key)?.createdAt ?? now() });
      return isNew;
    },
    async unsubscribe(teamId, channel, templateId) {
      ensureOpen();
      return subs.delete(subKey(teamId, channel, templateId));
    },
    async subscriptionsIn(teamId, channel) {
      ensureOpen();
      return [...subs.values()]
        .filter((s) => s.teamId === teamId && s.channel === channel)
        .sort(
          (a, b) =>
            a.createdAt.getTime() - b.createdAt.getTime() || (a.templateId < b.templateId ? -1 : 1),
        )
        .map(copy);
    },
    async subscribersOf(orgId, templateId) {
      ensureOpen();
      return [...subs.values()]
        .filter((s) => s.orgId === orgId && s.templateId === templateId)
        .map(copy);
    },

    async notificationsOn(teamId, userId) {
      ensureOpen();
      return !muted.has(`${teamId}\u0000${userId}`);
    },
    async setNotifications(teamId, userId, on) {
      ensureOpen();
      const k = `${teamId}\u0000${userId}`;
      if (on) muted.delete(k);
      else muted.add(k);
    },
  };
}
