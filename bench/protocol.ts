/**
 * The control protocol between the bench runner and bench/services.ts (the Tallyfy sandbox and
 * the fake Slack in their own process). JSON over loopback HTTP; nothing here is timed.
 */
// biome-ignore lint/suspicious/noExplicitAny: Slack views and payloads are free-form JSON
export type Json = Record<string, any>;

export interface ServicesInfo {
  control: string;
  tallyfy: { url: string; webUrl: string; orgId: string; token: string };
  slack: { apiUrl: string; botToken: string; teamId: string; teamDomain: string };
}

/** Lengths of the recorded lists: pass them back to read what happened after this point. */
export interface Marks {
  tallyfy: number;
  calls: number;
  responses: number;
}

export interface MintedUrl {
  responseUrl: string;
  triggerId?: string | undefined;
}

export interface TallyfyRequestInfo {
  method: string;
  path: string;
  at: number;
}

/** One Web API call the fake Slack answered. */
export interface CallInfo {
  index: number;
  method: string;
  at: number;
  ok: boolean;
  error?: string | undefined;
  triggerId?: string | undefined;
  viewId?: string | undefined;
  channel?: string | undefined;
  ts?: string | undefined;
  /** The submit button's text of the view sent (views.open / views.update). */
  submit?: string | undefined;
}

export interface MethodTally {
  ok: number;
  failed: number;
  errors: Record<string, number>;
}

/** What the fake Slack saw since a mark: Web API calls by method, response_url posts. */
export interface SlackSummary {
  calls: Record<string, MethodTally>;
  responses: {
    ok: number;
    /** Posts the fake refused, by its answer (used_url, expired_url, invalid_blocks…). */
    refused: Record<string, number>;
    /** Accepted posts that were an error or warning notice (":x:" / ":warning:"). */
    notices: number;
    noticeTexts: string[];
  };
}

export interface DriveResult {
  status: number;
  ms: number;
  body?: unknown;
  problem?: string | undefined;
}

export type ClickTarget = { channel: string; ts: string } | { viewId: string };

/** A run seeded for the bench: its card carries `key`. */
export interface SeededRun {
  id: string;
  name: string;
  key: string;
}

/** A chat.postMessage that carried a card key. */
export interface CardInfo {
  key: string;
  /** The fake Slack's clock (Date.now()) when the call arrived. */
  at: number;
  ok: boolean;
  ts?: string | undefined;
}

/** One response_url post. */
export interface ReplyInfo {
  id: string;
  at: number;
  status: number;
  text?: string | undefined;
  deleted: boolean;
  notice: boolean;
}
