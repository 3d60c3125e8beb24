/**
 * The date-fns functions the bot uses, loaded through `require` (date-fns ships a CommonJS
 * build beside its ES modules). Node's ES module loader parses date-fns's package.json, whose
 * `exports` map is 199 KB, again for every file it loads from the package, and `format` alone
 * pulls in about forty, most of it garbage that still raises the process's RSS for good
 * (`import "date-fns/format"` alone: +46 MB RSS; its CommonJS build: +10 MB). In the bot:
 * loading the date helpers took +31 MB, now +12 MB, and issue 18's bench peak fell from
 * ~147 to ~142 MB (bare Bolt ~104 MB; the target is 1.5x). Same functions, same behaviour.
 * `format` itself is no longer loaded: the cards' UTC labels are spelled out (dates.ts).
 */
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

export const { addDays } = load("date-fns/addDays") as typeof import("date-fns/addDays");
export const { isSameDay } = load("date-fns/isSameDay") as typeof import("date-fns/isSameDay");
export const { set } = load("date-fns/set") as typeof import("date-fns/set");
