/** Stable, well-known ids of the seeded data, so tests and the playground can name them. */
import { createHash } from "node:crypto";

/** A deterministic 32-hex-character id, shaped like Tallyfy's. */
export function hexId(label: string): string {
  return createHash("md5").update(`tallyfy-sandbox:${label}`).digest("hex");
}

function user(
  id: number,
  first: string,
  last: string,
  timezone: string,
  role: "admin" | "standard" | "light",
) {
  const key = first.toLowerCase();
  const domain = key === "zoe" ? "labs.test" : "acme.test";
  return {
    id,
    email: `${key}@${domain}`,
    first_name: first,
    last_name: last,
    full_name: `${first} ${last}`,
    timezone,
    role,
    token: `sandbox-pat-${key}-${hexId(`token:${key}`)}`,
  } as const;
}

const ACME = hexId("org:acme");
const LABS = hexId("org:labs");

export const SEED = {
  /** "Acme Operations", the organization everything below lives in unless noted. */
  orgId: ACME,
  org: { id: ACME, name: "Acme Operations" },
  /** "Acme Labs": alice (admin) and zoe belong; nobody else. */
  secondOrg: { id: LABS, name: "Acme Labs" },
  users: {
    /** Alice Anders, admin of both organizations; the sandbox's default token. */
    admin: user(1001, "Alice", "Anders", "America/New_York", "admin"),
    bob: user(1002, "Bob", "Brown", "Europe/London", "standard"),
    carol: user(1003, "Carol", "Chen", "Asia/Kolkata", "standard"),
    erin: user(1004, "Erin", "Evans", "America/Los_Angeles", "standard"),
    frank: user(1005, "Frank", "Fischer", "Europe/Berlin", "standard"),
    grace: user(1006, "Grace", "Gupta", "UTC", "light"),
    /** Member of Acme Labs only: her token gets 403 on Acme Operations. */
    zoe: user(1010, "Zoe", "Zhang", "Australia/Sydney", "admin"),
  },
  groups: {
    it: hexId("group:it"),
    peopleOps: hexId("group:people-ops"),
    finance: hexId("group:finance"),
    labTechs: hexId("group:lab-techs"),
  },
  tags: {
    urgent: hexId("tag:urgent"),
    onboarding: hexId("tag:onboarding"),
    customer: hexId("tag:customer"),
    finance: hexId("tag:finance"),
    it: hexId("tag:it"),
    legal: hexId("tag:legal"),
    q3: hexId("tag:q3"),
    vip: hexId("tag:vip"),
    compliance: hexId("tag:compliance"),
    hiring: hexId("tag:hiring"),
    labSafety: hexId("tag:lab-safety"),
  },
  templates: {
    /** Kick-off form with all 10 field types. */
    onboarding: hexId("tpl:onboarding"),
    offboarding: hexId("tpl:offboarding"),
    clientOnboarding: hexId("tpl:client-onboarding"),
    /** One required dropdown with 150 options. */
    countryAccess: hexId("tpl:country-access"),
    /** One required radio with 12 options. */
    itSupport: hexId("tpl:it-support"),
    /** Required file field: cannot be launched without an upload. */
    vendorContract: hexId("tpl:vendor-contract"),
    /** No kick-off form at all. */
    weeklyCheckin: hexId("tpl:weekly-checkin"),
    /** 120 kick-off fields. */
    complianceAudit: hexId("tpl:compliance-audit"),
    expenseApproval: hexId("tpl:expense-approval"),
    bugTriage: hexId("tpl:bug-triage"),
    travelRequest: hexId("tpl:travel-request"),
    refundRequest: hexId("tpl:refund-request"),
    /** Acme Labs only. */
    labSafety: hexId("tpl:lab-safety"),
  },
  /** Kick-off field ids of "Employee Onboarding". */
  onboardingFields: {
    fullName: hexId("field:onboarding:full-name"),
    notes: hexId("field:onboarding:notes"),
    workLocation: hexId("field:onboarding:work-location"),
    department: hexId("field:onboarding:department"),
    systems: hexId("field:onboarding:systems"),
    startDate: hexId("field:onboarding:start-date"),
    personalEmail: hexId("field:onboarding:personal-email"),
    contract: hexId("field:onboarding:contract"),
    equipment: hexId("field:onboarding:equipment"),
    buddy: hexId("field:onboarding:buddy"),
  },
  runs: {
    /** Onboarding, active, members alice+bob and the People Ops group, kick-off values set. */
    active: hexId("run:onboarding-maria"),
    /** Active; its `progress` is served as a bare number. */
    progressAsNumber: hexId("run:client-globex"),
    problem: hexId("run:vendor-initech"),
    delayed: hexId("run:expense-offsite"),
    complete: hexId("run:onboarding-sam"),
    /** Archived while active; activate restores "active". */
    archived: hexId("run:travel-berlin"),
    /** Archived after completion; activate restores "complete". */
    archivedComplete: hexId("run:refund-1042"),
    /** In Acme Labs. */
    labs: hexId("run:lab-induction-priya"),
  },
} as const;

export type SeedUser = (typeof SEED.users)[keyof typeof SEED.users];
