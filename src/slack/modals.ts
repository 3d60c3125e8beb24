import { createAccountOpeners } from "./accounts.ts";
import type { Deps } from "./deps.ts";
import { createEditOpener } from "./edit.ts";
import { createLaunchOpener } from "./launch.ts";
import type { ModalOpeners } from "./modal-openers.ts";

export function createModalOpeners(deps: Deps): ModalOpeners {
  const openers: ModalOpeners = {
    launch: createLaunchOpener(deps),
    edit: createEditOpener(deps),
    ...createAccountOpeners(deps, () => openers),
  };
  return openers;
}
