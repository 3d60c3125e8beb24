import type { App } from "@slack/bolt";
import type { Deps } from "./deps.ts";

export function register(_app: App, _deps: Deps): void {}
