import type { App } from "@slack/bolt";
import type { Deps } from "./deps.ts";
import type { ModalOpeners } from "./modal-openers.ts";
import { comingSoon } from "./soon.ts";

/** `all` gives access to the other openers (to replay a pending launch after connecting). */
export function createAccountOpeners(
  _deps: Deps,
  _all: () => ModalOpeners,
): Pick<ModalOpeners, "connect" | "disconnect" | "whoami"> {
  return {
    connect: comingSoon("Connecting your own Tallyfy account"),
    disconnect: comingSoon("Disconnecting"),
    whoami: comingSoon("whoami"),
  };
}

/** Listeners for the connect modal (view submissions, org picker). */
export function register(_app: App, _deps: Deps, _modals: ModalOpeners): void {}
