import type { App } from "@slack/bolt";
import type { Logger } from "../log.ts";
import type { Installation } from "../slack-api/installation.ts";
import { dedupe } from "./dedupe.ts";
import type { ReplayGuard } from "./replay.ts";
import { teamGate } from "./team-gate.ts";

/** The guards that run inside Bolt (both receivers), first in its global middleware chain. */
export function guardMiddleware(
  app: App,
  opts: { installation: () => Promise<Installation>; replay: ReplayGuard; logger: Logger },
): void {
  app.use(dedupe(opts));
  app.use(teamGate(opts));
}
