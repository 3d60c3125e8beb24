/** A stand-in for Tallyfy's web app: GET /{org}/processes/{run_id} answers a tiny page. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxState } from "./types.ts";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(html);
}

export async function answerWebPage(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  req.resume();
  const m = /^\/([^/]+)\/processes\/([^/]+)\/?$/.exec(url.pathname);
  const run =
    m && req.method === "GET" ? state.runs.get(decodeURIComponent(m[2] ?? "")) : undefined;
  if (!run || run.orgId !== decodeURIComponent(m?.[1] ?? "")) {
    page(res, 404, "Not found – Tallyfy", "<h1>Not found</h1>");
    return;
  }
  page(
    res,
    200,
    `${run.name} – Tallyfy`,
    `<h1>${escapeHtml(run.name)}</h1><p>Template: ${escapeHtml(run.checklist_title)}</p><p>Status: ${escapeHtml(run.status)}</p>`,
  );
}
