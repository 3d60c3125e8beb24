import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CREATE_TASK_SHORTCUT } from "../../src/blocks/tasks/ids.ts";
import { loadConfig } from "../../src/config.ts";
import { SUBCOMMANDS, usageHint } from "../../src/features/commands/table.ts";
import { SHORTCUT } from "../../src/features/shortcuts/flow.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const manifestPath = `${repo}manifest.yml`;
// Slack's published manifest schema (MIT), vendored with its licence: see vendor/slack/README.md.
const schemaPath = `${repo}vendor/slack/manifest.schema.1.0.0.json`;

/** Every bot scope must be listed here, so adding one is a deliberate change. */
const ALLOWED_BOT_SCOPES = [
  "commands",
  "chat:write",
  "channels:join",
  "users:read",
  "users:read.email",
  "links:read",
  "links:write",
];

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML
type Manifest = Record<string, any>;

function loadManifest(): Manifest {
  return parse(readFileSync(manifestPath, "utf8")) as Manifest;
}

function validator() {
  // The schema uses one non-standard keyword, "regex" (background_color), and "_note" comments;
  // both are taught to Ajv rather than turning strict mode off. The only format is "uri".
  // strictTypes is off: the schema's oauth2 provider section puts minItems on an untyped node.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  ajv.addKeyword({
    keyword: "regex",
    type: "string",
    schemaType: "string",
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  ajv.addKeyword("_note");
  ajv.addFormat("uri", (s: string) => URL.canParse(s));
  return ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
}

describe("manifest.yml", () => {
  it("is valid against Slack's manifest schema", () => {
    const validate = validator();
    const ok = validate(loadManifest());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the validator rejects a broken manifest (so the check above can fail)", () => {
    const validate = validator();
    const m = loadManifest();
    m.display_information.background_color = "green";
    m.features.slash_commands[0].command = "tallyfy";
    m.display_information.long_description = "too short";
    expect(validate(m)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain("/display_information/background_color");
    expect(paths).toContain("/features/slash_commands/0/command");
    expect(paths).toContain("/display_information/long_description");
  });

  it("declares /tallyfy and points every request URL at /slack/events", () => {
    const m = loadManifest();
    const commands = m.features.slash_commands as Manifest[];
    expect(commands.map((c) => c.command)).toEqual(["/tallyfy"]);
    expect(commands[0]?.should_escape).toBe(false);
    const urls = [
      commands[0]?.url,
      m.settings.interactivity.request_url,
      m.settings.interactivity.message_menu_options_url,
      m.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    expect(m.settings.interactivity.is_enabled).toBe(true);
  });

  it("offers the Create Tallyfy task message shortcut the bot listens for", () => {
    const shortcuts = loadManifest().features.shortcuts as Manifest[];
    const create = shortcuts.find((s) => s.callback_id === CREATE_TASK_SHORTCUT);
    expect(create).toMatchObject({ name: "Create Tallyfy task", type: "message" });
    const validate = validator();
    const m = loadManifest();
    m.features.shortcuts[0].name = "Create a Tallyfy task from this";
    expect(validate(m)).toBe(false);
    expect((validate.errors ?? []).map((e) => e.instancePath)).toContain(
      "/features/shortcuts/0/name",
    );
  });

  it("asks only for allow-listed bot scopes and no user scopes", () => {
    const m = loadManifest();
    const bot = m.oauth_config.scopes.bot as string[];
    expect(bot.filter((s) => !ALLOWED_BOT_SCOPES.includes(s))).toEqual([]);
    expect(new Set(bot).size).toBe(bot.length);
    expect(bot).toEqual(expect.arrayContaining(["commands", "chat:write"]));
    expect(m.oauth_config.scopes.user).toBeUndefined();
  });

  it("runs in Socket Mode by default with a bot user named Tallyfy", () => {
    const m = loadManifest();
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.settings.org_deploy_enabled).toBe(false);
    expect(m.settings.token_rotation_enabled).toBe(false);
    expect(m.features.bot_user).toEqual({ display_name: "Tallyfy", always_online: false });
    expect(m.display_information.long_description.length).toBeGreaterThanOrEqual(175);
  });

  it("gives /tallyfy the usage hint of the subcommand table, every subcommand once", () => {
    const hint = loadManifest().features.slash_commands[0].usage_hint as string;
    expect(hint).toBe(usageHint());
    const words = hint.replace(/^\[|\]$/g, "").split(" | ");
    expect([...words].sort()).toEqual([...SUBCOMMANDS].sort());
  });

  it("unfurls the default TALLYFY_WEB_URL's host, with the link scopes and event", () => {
    const m = loadManifest();
    const config = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" });
    expect(m.features.unfurl_domains).toEqual([new URL(config.tallyfy.webUrl).host]);
    expect(m.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(["links:read", "links:write"]),
    );
    expect(m.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["link_shared", "app_home_opened"]),
    );
    expect(m.features.app_home.home_tab_enabled).toBe(true);
  });

  it("lists both launch shortcuts with the callback ids the bot listens on", () => {
    const shortcuts = loadManifest().features.shortcuts as Manifest[];
    const byId = new Map(shortcuts.map((s) => [s.callback_id, s]));
    expect(byId.get(SHORTCUT.launch)).toMatchObject({ type: "global" });
    expect(byId.get(SHORTCUT.launchFromMessage)).toMatchObject({ type: "message" });
    for (const s of shortcuts) expect(s.name.length).toBeLessThanOrEqual(24);
  });

  it("the validator rejects shortcut names over 24 characters and unfurl domains with a scheme", () => {
    const validate = validator();
    const m = loadManifest();
    m.features.shortcuts[0].name = "Launch a process from this message";
    m.features.unfurl_domains = ["https://go.tallyfy.com"];
    expect(validate(m)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain("/features/shortcuts/0/name");
    expect(paths).toContain("/features/unfurl_domains/0");
  });
});
