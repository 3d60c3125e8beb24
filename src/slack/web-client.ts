import type { webApi } from "@slack/bolt";

/** Bolt's Web API client type, without depending on @slack/web-api directly. */
export type WebClient = webApi.WebClient;
