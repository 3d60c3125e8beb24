import type { App } from "@slack/bolt";
import type { Deps } from "./deps.ts";
import type { ModalOpeners } from "./modal-openers.ts";

export function register(_app: App, _deps: Deps, _modals: ModalOpeners): void {}
