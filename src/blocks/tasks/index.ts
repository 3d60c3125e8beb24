/** Renderers for tasks: the list, rows, the task card, the modals and the error sentences. */
export * from "./card.ts";
export * from "./create-task.ts";
export * from "./errors.ts";
export * from "./ids.ts";
export * from "./list.ts";
export * from "./mentions.ts";
export * from "./modals.ts";
export * from "./row.ts";
export * from "./when.ts";
