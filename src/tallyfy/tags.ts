import type { CallOptions, TagsService } from "./api.ts";
import { cachedRead, noteSkipped, orgPath, type ServiceContext } from "./context.ts";
import { listEnvelope, type Tag, tagSchema } from "./schemas.ts";

const tags = listEnvelope(tagSchema);
/** Tag titles may be up to this stale while fresh ones are read behind the answer. */
const STALE_MS = 10 * 60_000;

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
        STALE_MS,
      );
    },
  };
}
