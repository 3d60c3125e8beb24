import type { BotContext } from "../slack/context.ts";
import type { Listeners } from "../slack/listeners.ts";
import { registerCard } from "./card/register.ts";
import { registerCommands } from "./commands/register.ts";
import { registerConnect } from "./connect/register.ts";
import { registerCreateTask } from "./create-task/register.ts";
import { registerEdit } from "./edit/register.ts";
import { registerHome } from "./home/register.ts";
import { registerLaunch } from "./launch/register.ts";
import { registerList } from "./list/register.ts";
import { registerShortcuts } from "./shortcuts/register.ts";
import { registerSuggestions } from "./suggestions/register.ts";
import { registerTasks } from "./tasks/register.ts";
import { registerUnfurl } from "./unfurl/register.ts";

export function registerFeatures(app: Listeners, bot: BotContext): void {
  registerCommands(app, bot);
  registerCard(app, bot);
  registerList(app, bot);
  registerLaunch(app, bot);
  registerEdit(app, bot);
  registerConnect(app, bot);
  registerSuggestions(app, bot);
  registerTasks(app, bot);
  registerUnfurl(app, bot);
  registerHome(app, bot);
  registerShortcuts(app, bot);
  registerCreateTask(app, bot);
}
