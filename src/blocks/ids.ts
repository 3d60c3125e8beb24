/**
 * Ids shared by the renderers (src/blocks) and the listeners (src/features). Buttons are
 * stateless: their value carries everything a click needs, so any instance can handle it.
 */
export const ACTION = {
  /** Card buttons; value = run id. */
  update: "run_update",
  archive: "run_archive",
  activate: "run_activate",
  refresh: "run_refresh",
  /** URL button to Tallyfy; Slack still sends an action, which is acked and ignored. */
  open: "run_open",
  /** List row button; value = run id. Posts the full card. */
  view: "run_view",
  /** List paging (Next); value = encodeListState(...). */
  listPage: "list_page",
  /**
   * List paging (Previous / First page); same value and handling as listPage. A separate id
   * because Slack rejects two equal action ids in one actions block.
   */
  listPagePrev: "list_page_prev",
  /** Connect prompt button; value = pending command id or "". */
  connect: "tallyfy_connect",
  /** Launch modal: the template picker (external_select); value = template id. */
  launchTemplate: "launch_template",
  /** Launch modal: one of the listed matches for `/tallyfy launch <words>`; value = template id. */
  launchPickMatch: "launch_pick_match",
  /** Launch/edit modals: tags (multi_external_select over Tallyfy tags). */
  tagSearch: "run_tag_search",
  /** Edit modal: re-read the process from Tallyfy after a concurrent change. */
  editReload: "edit_reload",
  /** Link buttons inside modals (Open in Tallyfy); acked and ignored. */
  modalLink: "modal_link",
} as const;

/** Matches both paging action ids, for one listener: app.action(LIST_PAGE_ACTIONS, …). */
export const LIST_PAGE_ACTIONS = /^list_page(?:_prev)?$/;

export const VIEW = {
  launch: "launch_modal",
  edit: "edit_modal",
  connect: "connect_modal",
} as const;

export interface ListState {
  /** Status filter, or undefined for all statuses but archived. */
  status?: string | undefined;
  q?: string | undefined;
  mine?: boolean | undefined;
  page: number;
}

/** Compact, <= 2000 chars (button value limit), round-trips exactly. */
export function encodeListState(s: ListState): string {
  return JSON.stringify({ s: s.status, q: s.q, m: s.mine ? 1 : undefined, p: s.page });
}

export function decodeListState(value: string): ListState {
  try {
    const raw = JSON.parse(value) as { s?: unknown; q?: unknown; m?: unknown; p?: unknown };
    return {
      status: typeof raw.s === "string" ? raw.s : undefined,
      q: typeof raw.q === "string" ? raw.q : undefined,
      mine: raw.m === 1 ? true : undefined,
      page: typeof raw.p === "number" && raw.p >= 1 ? Math.floor(raw.p) : 1,
    };
  } catch {
    return { page: 1 };
  }
}
