import type { CallOptions, MeService } from "./api.ts";
import type { TallyfyClient } from "./client.ts";
import {
  itemEnvelope,
  listEnvelope,
  type Organization,
  organizationSchema,
  type TallyfyUser,
  userSchema,
} from "./schemas.ts";

const me = itemEnvelope(userSchema);
const organizations = listEnvelope(organizationSchema);

/** Token checks; never cached, so a revoked token shows up at once. */
export function createMeService(client: TallyfyClient): MeService {
  return {
    me(token, opts?: CallOptions): Promise<TallyfyUser> {
      return client.request({ token }, { method: "GET", path: "/me", schema: me }, opts);
    },
    async organizations(token, opts?: CallOptions): Promise<Organization[]> {
      const page = await client.request(
        { token },
        { method: "GET", path: "/me/organizations", schema: organizations },
        opts,
      );
      return page.items;
    },
  };
}
