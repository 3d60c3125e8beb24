import type { CallOptions, UsersService } from "./api.ts";
import { cachedRead, MAX_STALE_MS, noteSkipped, orgPath, type ServiceContext } from "./context.ts";
import { listEnvelope, type TallyfyUser, userSchema } from "./schemas.ts";

const PER_PAGE = 100;
/** A guard against a server that never reports the last page. */
const MAX_PAGES = 50;
const users = listEnvelope(userSchema);

export function createUsersService(ctx: ServiceContext): UsersService {
  /** Every member of the organization, all pages, cached per connection. */
  const list = (opts?: CallOptions): Promise<TallyfyUser[]> =>
    cachedRead(
      ctx,
      "users.list",
      [],
      opts,
      async (o) => {
        const all: TallyfyUser[] = [];
        for (let page = 1; page <= MAX_PAGES; page++) {
          const res = await ctx.client.request(
            ctx.conn,
            {
              method: "GET",
              path: orgPath(ctx.conn, "users"),
              query: { page, per_page: PER_PAGE },
              schema: users,
            },
            o,
          );
          all.push(...noteSkipped(ctx, "users", res).items);
          if (res.items.length === 0 || res.pagination.currentPage >= res.pagination.totalPages)
            break;
        }
        return all;
      },
      MAX_STALE_MS,
    );

  return {
    list,
    async findByEmail(email, opts) {
      const wanted = email.trim().toLowerCase();
      if (!wanted) return undefined;
      return (await list(opts)).find((u) => u.email.trim().toLowerCase() === wanted);
    },
    async get(id, opts) {
      return (await list(opts)).find((u) => u.id === id);
    },
  };
}
