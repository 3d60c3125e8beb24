import type { CallOptions, TemplatesService } from "./api.ts";
import { cachedRead, noteSkipped, orgPath, type ServiceContext } from "./context.ts";
import { templateId } from "./ids.ts";
import {
  itemEnvelope,
  listEnvelope,
  type Page,
  type Template,
  type TemplateSummary,
  templateSchema,
  templateSummarySchema,
} from "./schemas.ts";

const MAX_PER_PAGE = 100;
const summaries = listEnvelope(templateSummarySchema);
const template = itemEnvelope(templateSchema);

export function createTemplatesService(ctx: ServiceContext): TemplatesService {
  return {
    async search(q, paging = {}, opts?: CallOptions): Promise<Page<TemplateSummary>> {
      const page = Math.max(1, paging.page ?? 1);
      const perPage = Math.min(MAX_PER_PAGE, Math.max(1, paging.perPage ?? 20));
      const query = q.trim();
      return cachedRead(ctx, "templates.search", [query, page, perPage], opts, async (o) =>
        noteSkipped(
          ctx,
          "templates",
          await ctx.client.request(
            ctx.conn,
            {
              method: "GET",
              path: orgPath(ctx.conn, "checklists"),
              query: { q: query || undefined, page, per_page: perPage },
              schema: summaries,
            },
            o,
          ),
        ),
      );
    },

    /** With its kick-off fields (`prerun`) sorted by position. */
    async get(id, opts?: CallOptions): Promise<Template> {
      const checked = templateId(id);
      return cachedRead(ctx, "templates.get", [checked], opts, (o) =>
        ctx.client.request(
          ctx.conn,
          {
            method: "GET",
            path: orgPath(ctx.conn, "checklists", checked),
            query: { with: "steps" },
            schema: template,
          },
          o,
        ),
      );
    },
  };
}
