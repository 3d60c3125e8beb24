/**
 * Which shared links are Tallyfy process links: `TALLYFY_RUN_URL_PATTERN` (default
 * `{web}/{org}/processes/{run_id}`) read backwards, with any query or fragment after it. Pure.
 */

export interface ProcessLink {
  /** The URL exactly as Slack sent it: chat.unfurl is keyed by it. */
  url: string;
  org: string;
  runId: string;
}

/** chat.unfurl unfurls at most this many links per message (Slack shows few more anyway). */
export const MAX_UNFURLS = 5;

const RUN_ID = "([0-9a-f]{32})";
const SEGMENT = "([^/?#]+)";

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A matcher for process links of the configured Tallyfy web app. */
export function processLinkMatcher(o: {
  webUrl: string;
  runUrlPattern: string;
}): (url: string) => ProcessLink | undefined {
  const web = o.webUrl.replace(/\/+$/, "");
  const patterns = [o.runUrlPattern, "{web}/{org}/processes/{run_id}"].map((pattern) => {
    const names: ("org" | "run")[] = [];
    const source = pattern
      .split(/(\{web\}|\{org\}|\{org_id\}|\{run_id\})/)
      .map((part) => {
        if (part === "{web}") return escapeRegExp(web);
        if (part === "{org}" || part === "{org_id}") {
          names.push("org");
          return SEGMENT;
        }
        if (part === "{run_id}") {
          names.push("run");
          return RUN_ID;
        }
        return escapeRegExp(part);
      })
      .join("");
    return { re: new RegExp(`^${source}(?:[/?#].*)?$`, "i"), names };
  });
  return (url) => {
    for (const { re, names } of patterns) {
      const m = re.exec(url);
      if (!m) continue;
      const org = m[names.indexOf("org") + 1];
      const runId = m[names.indexOf("run") + 1]?.toLowerCase();
      if (!runId || names.indexOf("run") < 0) continue;
      const decodedOrg = org === undefined || names.indexOf("org") < 0 ? "" : safeDecode(org);
      if (decodedOrg === undefined) continue;
      return { url, org: decodedOrg, runId };
    }
    return undefined;
  };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The process links among `urls`, each once, in order, at most MAX_UNFURLS. */
export function processLinks(
  urls: readonly string[],
  match: (url: string) => ProcessLink | undefined,
): ProcessLink[] {
  const seen = new Set<string>();
  const out: ProcessLink[] = [];
  for (const url of urls) {
    if (seen.has(url)) continue;
    seen.add(url);
    const link = match(url);
    if (link) out.push(link);
    if (out.length === MAX_UNFURLS) break;
  }
  return out;
}
