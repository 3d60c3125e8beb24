/** Links into the Tallyfy web app, and mrkdwn links that survive any label or URL. */

export interface RunUrlVars {
  web: string;
  org: string;
  runId: string;
}

/**
 * Fill a TALLYFY_RUN_URL_PATTERN such as "{web}/{org}/processes/{run_id}". The base URL goes
 * in as configured; the org and run ids are URL-encoded.
 */
export function runUrl(pattern: string, vars: RunUrlVars): string {
  const values: Record<string, string> = {
    web: vars.web.replace(/\/+$/, ""),
    org: encodeURIComponent(vars.org),
    org_id: encodeURIComponent(vars.org),
    run_id: encodeURIComponent(vars.runId),
  };
  return pattern.replace(/\{(web|org|org_id|run_id)\}/g, (_, key: string) => values[key] ?? "");
}

/** An http(s) URL Slack will accept in a button or link (<= 3000 chars), else undefined. */
export function usableUrl(url: string | undefined): string | undefined {
  if (!url || url.length > 3000) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  } catch {
    return undefined;
  }
  // "|" and ">" end the URL part of <url|label>; encode them (and "<", spaces) defensively.
  return url.replace(/[|<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `<url|label>` with an already-escaped label; just the label when the URL is unusable. */
export function mrkdwnLink(url: string | undefined, escapedLabel: string): string {
  const safe = usableUrl(url);
  return safe ? `<${safe}|${escapedLabel}>` : escapedLabel;
}
