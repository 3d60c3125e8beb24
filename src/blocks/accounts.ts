/** Connect modal steps, whoami and disconnect replies. Pure; never given a token to render. */
import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import { renderConnectPrompt } from "./connect.ts";
import { slackDate } from "./dates.ts";
import { code, label, mrkdwn, plain, safeLine } from "./format.ts";
import { ACTION, VIEW } from "./ids.ts";
import { mrkdwnLink } from "./links.ts";
import { contextLine, modal, parseMetadata, textSection } from "./modals/modal.ts";
import { renderNotice } from "./notices.ts";

export const CONNECT = {
  tokenBlock: "connect_token",
  tokenAction: "token",
  orgBlock: "connect_org",
  orgAction: "org",
} as const;

/** What the connect modal carries between steps: never the token, only a server-side nonce. */
export interface ConnectMeta {
  step: "token" | "org";
  /** Pending command id from the Connect button, if any. */
  pendingId?: string | undefined;
  /** Finds the checked token kept in memory (org step). */
  nonce?: string | undefined;
}

export function encodeConnectMeta(m: ConnectMeta): string {
  return JSON.stringify({ s: m.step, p: m.pendingId || undefined, n: m.nonce || undefined });
}

export function decodeConnectMeta(raw: string | undefined): ConnectMeta {
  const v = parseMetadata(raw);
  const str = (x: unknown) => (typeof x === "string" && x !== "" ? x : undefined);
  return { step: v.s === "org" ? "org" : "token", pendingId: str(v.p), nonce: str(v.n) };
}

export interface Person {
  name: string | null;
  email: string | null;
}

function who(p: Person): string {
  const name = safeLine(p.name, 150, "");
  const email = safeLine(p.email, 150, "");
  if (name && email) return `*${name}* (${email})`;
  return name ? `*${name}*` : email ? `*${email}*` : "an unnamed Tallyfy user";
}

function org(name: string | null | undefined, id: string): string {
  return `*${safeLine(name || id, 150)}*`;
}

/** Step 1: how to find a personal access token, and the input for it. */
export function connectTokenView(opts: {
  webUrl: string;
  pendingId?: string | undefined;
  /** Why the last attempt failed (shown on top when the answer came too late for input errors). */
  problem?: string | undefined;
}): ModalView {
  const tallyfy = mrkdwnLink(opts.webUrl, "Tallyfy");
  const problem: KnownBlock[] = opts.problem
    ? [textSection(`:warning: ${safeLine(opts.problem, 500)}`)]
    : [];
  return modal({
    title: "Connect Tallyfy",
    callbackId: VIEW.connect,
    submit: "Connect",
    close: "Cancel",
    privateMetadata: encodeConnectMeta({ step: "token", pendingId: opts.pendingId }),
    blocks: [
      ...problem,
      textSection(
        "Connect your own Tallyfy account so `/tallyfy` acts as you, with your Tallyfy permissions.",
      ),
      textSection(
        [
          `1. Sign in to ${tallyfy}.`,
          "2. Open *Settings > Integrations > REST API*.",
          "3. Copy your *personal access token* and paste it below.",
        ].join("\n"),
      ),
      {
        type: "input",
        block_id: CONNECT.tokenBlock,
        label: label("Personal access token"),
        element: {
          type: "plain_text_input",
          action_id: CONNECT.tokenAction,
          placeholder: label("Paste your token"),
        },
        hint: label(
          "Stored encrypted and used only to act as you. Logging out of Tallyfy invalidates it; then connect again.",
        ),
      },
    ],
  });
}

/** Step 2, when the token belongs to several organizations. */
export function connectOrgView(opts: {
  user: Person;
  orgs: { id: string; name: string }[];
  nonce: string;
  pendingId?: string | undefined;
  /** Pre-selected when the person belongs to it (the workspace's organization). */
  preferredOrgId?: string | undefined;
}): ModalView {
  const options: PlainTextOption[] = opts.orgs
    .slice(0, 100)
    .map((o) => ({ text: plain(o.name || o.id, 75), value: orgValue(opts.orgs, o.id) }));
  const initial = options.find((o) => o.value === opts.preferredOrgId);
  const view = modal({
    title: "Connect Tallyfy",
    callbackId: VIEW.connect,
    submit: "Connect",
    close: "Cancel",
    privateMetadata: encodeConnectMeta({
      step: "org",
      pendingId: opts.pendingId,
      nonce: opts.nonce,
    }),
    blocks: [
      textSection(
        `:white_check_mark: Tallyfy knows this token: it belongs to ${who(opts.user)}, who is in ${opts.orgs.length} organizations. Which one should \`/tallyfy\` use?`,
      ),
      {
        type: "input",
        block_id: CONNECT.orgBlock,
        label: label("Organization"),
        element: {
          type: "static_select",
          action_id: CONNECT.orgAction,
          placeholder: label("Choose an organization"),
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
      contextLine("To switch later, run `/tallyfy connect` again."),
    ],
  });
  // Closing tells the bot, so it can forget the checked token at once.
  return { ...view, notify_on_close: true };
}

/** Option values must fit 150 characters; a longer org id is referred to by its position. */
function orgValue(orgs: { id: string }[], id: string): string {
  return id.length <= 150 ? id : `#${orgs.findIndex((o) => o.id === id)}`;
}

/** The organization a submitted option value stands for. */
export function orgFromValue<O extends { id: string }>(orgs: O[], value: string): O | undefined {
  const byIndex = /^#(\d+)$/.exec(value);
  if (byIndex) return orgs[Number(byIndex[1])];
  return orgs.find((o) => o.id === value);
}

export function connectWorkingView(): ModalView {
  return modal({
    title: "Connect Tallyfy",
    blocks: [textSection(":hourglass_flowing_sand: Checking your token with Tallyfy…")],
  });
}

export function connectedView(opts: {
  user: Person;
  orgName: string | null;
  orgId: string;
  /** The command that will now be carried out, if one was waiting. */
  replaying?: string | undefined;
}): ModalView {
  const blocks: KnownBlock[] = [
    textSection(
      `:white_check_mark: Connected. \`/tallyfy\` now acts as ${who(opts.user)} in ${org(opts.orgName, opts.orgId)}.`,
    ),
  ];
  if (opts.replaying !== undefined) {
    blocks.push(
      textSection(`Now doing what you asked: ${code(`/tallyfy ${opts.replaying}`, 200)}`),
    );
  }
  blocks.push(contextLine("`/tallyfy whoami` shows this again; `/tallyfy disconnect` removes it."));
  return modal({ title: "Tallyfy connected", close: "Done", blocks });
}

/** The end of a connect attempt that saved nothing; `mrkdwn` is our own wording. */
export function connectStoppedView(
  mrkdwnText = ":hourglass: This took too long, so I let go of your token without saving it. Run `/tallyfy connect` to start again.",
): ModalView {
  return modal({ title: "Connect Tallyfy", close: "Close", blocks: [textSection(mrkdwnText)] });
}

type Message = { text: string; blocks: KnownBlock[] };

/** Per-user connections need TOKEN_ENCRYPTION_KEY; without it everyone uses the shared one. */
export function connectDisabledNotice(opts: { sharedAllowed: boolean }): Message {
  return renderNotice(
    "info",
    opts.sharedAllowed
      ? "This workspace uses one shared Tallyfy connection for everyone, so there is nothing to connect. Ask whoever runs this bot to set TOKEN_ENCRYPTION_KEY if people should act as themselves."
      : "Connecting your own Tallyfy account isn't turned on here (the bot has no TOKEN_ENCRYPTION_KEY). Ask whoever runs this bot to set it.",
  );
}

export function noTriggerNotice(): Message {
  return renderNotice("info", "Type `/tallyfy connect` to connect your Tallyfy account.");
}

export type WhoamiState =
  | { kind: "user"; user: Person; orgName: string | null; orgId: string; since: Date }
  | {
      kind: "shared";
      /** Undefined when Tallyfy couldn't be asked who the workspace token belongs to. */
      user?: Person | undefined;
      orgName?: string | undefined;
      orgId: string;
      /** A sentence on why the identity is unknown. */
      problem?: string | undefined;
      perUserEnabled: boolean;
    }
  | { kind: "none"; invalid: boolean };

export function renderWhoami(s: WhoamiState): Message {
  if (s.kind === "user") {
    const text = `You act in Tallyfy as ${who(s.user)} in ${org(s.orgName, s.orgId)}.`;
    return {
      text,
      blocks: [
        { type: "section", text: mrkdwn(`:bust_in_silhouette: ${text}`) },
        contextLine(
          `Your own account, connected ${slackDate(s.since.toISOString())}. \`/tallyfy disconnect\` removes it.`,
        ),
      ],
    };
  }
  if (s.kind === "shared") {
    const whoText = s.user
      ? `${who(s.user)} in ${org(s.orgName, s.orgId)}`
      : `the workspace's Tallyfy account in ${org(s.orgName, s.orgId)}`;
    const text = `You haven't connected your own Tallyfy account, so commands use the workspace connection: ${whoText}. Actions run with that account's permissions.`;
    const blocks: KnownBlock[] = [
      { type: "section", text: mrkdwn(`:busts_in_silhouette: ${text}`) },
    ];
    if (s.problem) blocks.push(contextLine(`:warning: ${s.problem}`));
    if (s.perUserEnabled) {
      blocks.push({
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: ACTION.connect,
            text: label("Connect my own account"),
            value: "",
          },
        ],
      });
    }
    return { text, blocks };
  }
  const prompt = renderConnectPrompt({ invalid: s.invalid });
  const text = s.invalid
    ? "Your saved Tallyfy token no longer works."
    : "You're not connected to Tallyfy, and this workspace has no shared connection for you to use.";
  return {
    text: `${text} ${prompt.text}`,
    blocks: [textSection(`:grey_question: ${text}`), ...prompt.blocks],
  };
}

export function renderDisconnected(opts: {
  removed: boolean;
  /** The workspace connection will be used from now on. */
  sharedAllowed: boolean;
}): Message {
  const first = opts.removed
    ? "Disconnected: I deleted your saved Tallyfy token."
    : "You had no Tallyfy account connected, so there was nothing to delete.";
  const then = opts.sharedAllowed
    ? "Commands now use the workspace's shared Tallyfy connection."
    : "Commands will ask you to connect before doing anything in Tallyfy.";
  return renderNotice(opts.removed ? "success" : "info", `${first} ${then}`, {
    detail: "Run /tallyfy connect to connect again.",
  });
}
