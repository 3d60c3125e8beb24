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
import { exactMatch, type TemplateIndex } from "./template-index.ts";

const MAX_PER_PAGE = 100;
/** The title index reads at most this many pages of 100; a bigger organization's is incomplete. */
const INDEX_PAGES = 3;
const summaries = listEnvelope(templateSummarySchema);
const template = itemEnvelope(templateSchema);

export function createTemplatesService(ctx: ServiceContext): TemplatesService {
  const service: TemplatesService = {
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

    warmIndex(opts?: CallOptions): Promise<void> {
      const indexes = ctx.templateIndexes;
      if (!indexes) return Promise.resolve();
      const { signal: _own, ...shared } = opts ?? {};
      return indexes.warm(
        ctx.connKey,
        () => loadIndex(service, shared),
        (error) =>
          ctx.logger.warn("could not refresh the template index", {
            error: (error as Error).message,
          }),
      );
    },

    indexedMatch(words: string): string | undefined {
      const index = ctx.templateIndexes?.get(ctx.connKey);
      return index ? exactMatch(index, words)?.id : undefined;
    },
  };
  return service;
}

/** Every template's id, title and archived flag, from the unfiltered list (cached like any search). */
async function loadIndex(
  templates: TemplatesService,
  opts: CallOptions,
): Promise<Omit<TemplateIndex, "loadedAt">> {
  const all: TemplateIndex["templates"] = [];
  for (let page = 1; ; page++) {
    const found = await templates.search("", { page, perPage: MAX_PER_PAGE }, opts);
    for (const t of found.items) all.push({ id: t.id, title: t.title, archived: !!t.archived_at });
    if ((found.skipped?.length ?? 0) > 0) return { templates: all, complete: false };
    if (!found.pagination.hasNext) return { templates: all, complete: true };
    if (page >= INDEX_PAGES) return { templates: all, complete: false };
  }
}
