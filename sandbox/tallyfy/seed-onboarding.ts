/** "Employee Onboarding": a kick-off form that uses every one of Tallyfy's 10 field types. */
import type { FieldSpec, TemplateSpec } from "./seed-builders.ts";
import { SEED } from "./seed-ids.ts";

export const DEPARTMENTS = ["Engineering", "Sales", "Marketing", "Finance", "Operations"] as const;
export const WORK_LOCATIONS = ["Office", "Remote", "Hybrid"] as const;
/** "Finance" also appears in the Department dropdown, on purpose. */
export const SYSTEMS = ["Email", "Slack", "GitHub", "Salesforce", "Finance", "VPN"] as const;

// Array order differs from position order on purpose: clients must sort by position.
const fields: FieldSpec[] = [
  {
    key: "department",
    type: "dropdown",
    label: "Department",
    position: 4,
    required: true,
    guidance: "The team the new hire joins. Drives which accounts IT creates.",
    options: DEPARTMENTS,
    optionIdBase: 11,
  },
  {
    key: "full-name",
    type: "text",
    label: "Employee full name",
    position: 1,
    required: true,
    guidance: "As it should appear in the directory & on the badge.",
  },
  {
    key: "work-location",
    type: "radio",
    label: "Work location",
    position: 3,
    required: true,
    options: WORK_LOCATIONS,
    optionIdBase: 1,
  },
  {
    key: "notes",
    type: "textarea",
    label: "Notes for IT",
    position: 2,
    guidance: "Anything unusual: accessibility needs, <special> hardware, name pronunciation.",
  },
  {
    key: "start-date",
    type: "date",
    label: "Start date",
    position: 6,
    required: true,
    guidance: "First working day, in the new hire's time zone.",
  },
  {
    key: "systems",
    type: "multiselect",
    label: "Systems access",
    position: 5,
    guidance: "Tick every system the new hire needs on day one.",
    options: SYSTEMS,
    optionIdBase: 21,
  },
  {
    key: "personal-email",
    type: "email",
    label: "Personal email",
    position: 7,
    required: true,
    guidance: "Where we send the welcome pack before their work account exists.",
  },
  {
    key: "equipment",
    type: "table",
    label: "Equipment needed",
    position: 9,
    guidance: "One row per item.",
    columns: ["Item", "Quantity", "Notes"],
  },
  {
    key: "contract",
    type: "file",
    label: "Signed contract",
    position: 8,
    guidance: "PDF of the countersigned offer letter.",
  },
  {
    key: "buddy",
    type: "assignees_form",
    label: "Onboarding buddy",
    position: 10,
  },
];

export function onboardingTemplate(): TemplateSpec {
  return {
    key: "onboarding",
    orgId: SEED.orgId,
    title: "Employee Onboarding",
    summary: "Everything a new hire needs, from contract to first-week check-in.",
    starred: true,
    steps: [
      "Send welcome email",
      "Create accounts",
      "Order equipment",
      "Prepare desk or ship kit",
      "Day-one orientation",
      "Introduce onboarding buddy",
      "Benefits enrolment",
      "First-week check-in",
    ],
    fields,
    ageDays: 400,
  };
}
