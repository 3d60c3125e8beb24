import type { CallOptions, TagsService } from "./api.ts";
import { cachedRead, MAX_STALE_MS, noteSkipped, orgPath, type ServiceContext } from "./context.ts";
import { listEnvelope, type Tag, tagSchema } from "./schemas.ts";

const tags = listEnvelope(tagSchema);

export function createTagsService(ctx: ServiceContext): TagsService {
  return {
    search(q = "", opts?: CallOptions): Promise<Tag[]> {
      const query = q.trim();
      return cachedRead(
        ctx,
        "tags.search",
        [query],
        opts,
        async (o) => {
          const page = await ctx.client.request(
            ctx.conn,
            {
              method: "GET",
              path: orgPath(ctx.conn, "tags"),
              query: { q: query || undefined, per_page: 100 },
              schema: tags,
            },
            o,
          );
          return noteSkipped(ctx, "tags", page).items;
        },
        MAX_STALE_MS,
      );
    },
  };
}
