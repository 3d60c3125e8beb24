import type { App } from "@slack/bolt";
import type { Deps } from "./deps.ts";
import { registerEdit } from "./edit.ts";
import { registerLaunch } from "./launch.ts";
import type { ModalOpeners } from "./modal-openers.ts";

/** Listeners inside the launch and edit modals: submissions and in-modal buttons/selects. */
export function register(app: App, deps: Deps, _modals: ModalOpeners): void {
  registerLaunch(app, deps);
  registerEdit(app, deps);
}
