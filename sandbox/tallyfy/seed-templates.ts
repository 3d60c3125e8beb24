/** The seeded templates ("checklists"): 18 in Acme Operations, 1 in Acme Labs. */
import { type FieldSpec, type TemplateSpec, template } from "./seed-builders.ts";
import { COUNTRIES } from "./seed-countries.ts";
import { SEED } from "./seed-ids.ts";
import { onboardingTemplate } from "./seed-onboarding.ts";
import type { FieldType, SandboxTemplate } from "./types.ts";

export const IT_CATEGORIES = [
  "Hardware",
  "Software installation",
  "Network / Wi-Fi",
  "Email",
  "Printer",
  "Access & permissions",
  "Password reset",
  "VPN",
  "Phone / mobile",
  "Security concern",
  "New equipment",
  "Other",
] as const;

const URGENCY = ["Low", "Medium", "High", "Critical"] as const;
const AUDIT_SECTIONS = [
  "Access control",
  "Data retention",
  "Incident response",
  "Vendor management",
  "Physical security",
  "Business continuity",
] as const;
const AUDIT_TYPES: FieldType[] = ["radio", "text", "dropdown", "textarea", "date"];

/** 6 sections x 20 questions; the first question of each section is required. */
function auditFields(): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const [s, section] of AUDIT_SECTIONS.entries()) {
    for (let q = 1; q <= 20; q++) {
      const position = s * 20 + q;
      const type = AUDIT_TYPES[position % AUDIT_TYPES.length] ?? "text";
      const spec: FieldSpec = {
        key: `q${position}`,
        type,
        label: `${section} ${s + 1}.${q}`,
        position,
        required: q === 1,
        guidance: `Evidence for control ${s + 1}.${q}.`,
      };
      if (type === "radio") spec.options = ["Yes", "No", "Not applicable"];
      if (type === "dropdown") {
        spec.options = ["Compliant", "Partially compliant", "Non-compliant", "Not assessed"];
      }
      out.push(spec);
    }
  }
  return out;
}

function acme(spec: Omit<TemplateSpec, "orgId">): TemplateSpec {
  return { ...spec, orgId: SEED.orgId };
}

function specs(): TemplateSpec[] {
  return [
    onboardingTemplate(),
    acme({
      key: "offboarding",
      title: "Employee Offboarding",
      summary: "Recover equipment, revoke access and run the exit interview.",
      steps: ["Confirm last day", "Revoke access", "Collect equipment", "Exit interview"],
      fields: [
        { key: "name", type: "text", label: "Employee name", position: 1, required: true },
        { key: "last-day", type: "date", label: "Last working day", position: 2, required: true },
        {
          key: "reason",
          type: "dropdown",
          label: "Reason",
          position: 3,
          options: ["Resignation", "Retirement", "Contract end", "Other"],
          optionIdBase: 5,
        },
      ],
      ageDays: 380,
    }),
    acme({
      key: "clientOnboarding",
      title: "Client Onboarding",
      summary: "Kick-off call to go-live for new customers.",
      starred: true,
      steps: ["Kick-off call", "Collect requirements", "Configure account", "Training", "Go-live"],
      fields: [
        { key: "client", type: "text", label: "Client name", position: 1, required: true },
        {
          key: "contact",
          type: "email",
          label: "Primary contact email",
          position: 2,
          required: true,
        },
        {
          key: "plan",
          type: "dropdown",
          label: "Plan",
          position: 3,
          required: true,
          options: ["Starter", "Growth", "Enterprise"],
          optionIdBase: 101,
        },
      ],
      ageDays: 300,
    }),
    acme({
      key: "countryAccess",
      title: "Country Access Request",
      summary: "Request system access while working from another country.",
      steps: ["Manager approval", "Security review", "Grant access"],
      fields: [
        {
          key: "country",
          type: "dropdown",
          label: "Country",
          position: 1,
          required: true,
          guidance: "Where you will be working from.",
          options: COUNTRIES,
          optionIdBase: 1000,
        },
        { key: "reason", type: "textarea", label: "Reason for access", position: 2 },
        { key: "from", type: "date", label: "Access needed from", position: 3 },
      ],
      ageDays: 200,
    }),
    acme({
      key: "itSupport",
      title: "IT Support Request",
      summary: "Get help from the IT team.",
      steps: ["Triage", "Resolve", "Confirm with requester"],
      fields: [
        {
          key: "category",
          type: "radio",
          label: "Category",
          position: 1,
          required: true,
          options: IT_CATEGORIES,
          optionIdBase: 301,
        },
        {
          key: "problem",
          type: "textarea",
          label: "Describe the problem",
          position: 2,
          required: true,
        },
        { key: "urgency", type: "dropdown", label: "Urgency", position: 3, options: URGENCY },
      ],
      ageDays: 250,
    }),
    acme({
      key: "vendorContract",
      title: "Vendor Contract Review",
      summary: "Legal and finance review of a new or renewed vendor contract.",
      steps: ["Legal review", "Finance review", "Sign-off", "File contract"],
      fields: [
        { key: "vendor", type: "text", label: "Vendor name", position: 1, required: true },
        {
          key: "document",
          type: "file",
          label: "Contract document",
          position: 2,
          required: true,
          guidance: "Upload the draft contract (PDF or Word).",
        },
        { key: "renewal", type: "date", label: "Renewal date", position: 3 },
      ],
      ageDays: 180,
    }),
    acme({
      key: "weeklyCheckin",
      title: "Weekly Team Check-in",
      summary: "Wins, blockers and priorities for the week.",
      steps: ["Collect updates", "Team meeting", "Share notes"],
      ageDays: 150,
    }),
    acme({
      key: "complianceAudit",
      title: "Annual Compliance Audit",
      summary: "Yearly control self-assessment across six areas.",
      type: "form",
      steps: ["Self-assessment", "Evidence review", "Auditor sign-off"],
      fields: auditFields(),
      ageDays: 500,
    }),
    acme({
      key: "expenseApproval",
      title: "Expense Approval",
      summary: "Approve and reimburse an expense claim.",
      steps: ["Manager approval", "Finance check", "Reimburse"],
      fields: [
        { key: "what", type: "text", label: "Expense description", position: 1, required: true },
        { key: "amount", type: "text", label: "Amount (USD)", position: 2, required: true },
        {
          key: "cost-center",
          type: "dropdown",
          label: "Cost center",
          position: 3,
          options: ["Engineering", "Sales", "Marketing", "G&A", "Operations"],
          optionIdBase: 51,
        },
        { key: "receipt", type: "file", label: "Receipt", position: 4 },
      ],
      ageDays: 320,
    }),
    acme({
      key: "purchaseOrder",
      title: "Purchase Order Request",
      summary: "Raise a purchase order above the card limit.",
      steps: ["Budget check", "Approve", "Issue PO"],
      fields: [
        { key: "item", type: "text", label: "What are you buying?", position: 1, required: true },
        { key: "supplier", type: "text", label: "Supplier", position: 2 },
      ],
      ageDays: 260,
    }),
    acme({
      key: "contentPublishing",
      title: "Content Publishing Workflow",
      summary: "Draft, edit, approve and publish a blog post.",
      type: "document",
      steps: ["Draft", "Edit", "Legal check", "Publish", "Promote"],
      fields: [{ key: "title", type: "text", label: "Working title", position: 1 }],
      ageDays: 140,
    }),
    acme({
      key: "bugTriage",
      title: "Bug Triage",
      summary: "Reproduce, prioritise and assign a reported bug.",
      steps: ["Reproduce", "Prioritise", "Assign", "Verify fix"],
      fields: [
        {
          key: "severity",
          type: "radio",
          label: "Severity",
          position: 1,
          required: true,
          options: ["S1 – outage", "S2 – major", "S3 – minor", "S4 – cosmetic"],
        },
        { key: "component", type: "text", label: "Component", position: 2 },
      ],
      ageDays: 90,
    }),
    acme({
      key: "qbr",
      title: "Quarterly Business Review",
      summary: "Prepare and run a customer QBR.",
      steps: ["Pull metrics", "Draft deck", "Internal review", "Meeting", "Follow-ups"],
      fields: [{ key: "account", type: "text", label: "Account", position: 1, required: true }],
      ageDays: 120,
    }),
    acme({
      key: "travelRequest",
      title: "Travel Request",
      summary: "Approve and book business travel.",
      steps: ["Manager approval", "Book travel", "Send itinerary"],
      fields: [
        { key: "destination", type: "text", label: "Destination", position: 1, required: true },
        { key: "depart", type: "date", label: "Departure", position: 2, required: true },
        {
          key: "bookings",
          type: "multiselect",
          label: "Bookings needed",
          position: 3,
          options: ["Flight", "Hotel", "Car", "Rail"],
        },
      ],
      ageDays: 230,
    }),
    acme({
      key: "vendorSetup",
      title: "New Vendor Setup",
      summary: "Add a supplier to the finance system.",
      steps: ["Collect W-9", "Bank details check", "Create vendor record"],
      fields: [{ key: "vendor", type: "text", label: "Vendor name", position: 1, required: true }],
      ageDays: 210,
    }),
    acme({
      key: "refundRequest",
      title: "Customer Refund Request",
      summary: "Check and issue a customer refund.",
      steps: ["Verify order", "Approve refund", "Issue refund", "Notify customer"],
      fields: [
        { key: "order", type: "text", label: "Order number", position: 1, required: true },
        { key: "email", type: "email", label: "Customer email", position: 2, required: true },
        {
          key: "kind",
          type: "radio",
          label: "Refund type",
          position: 3,
          options: ["Full", "Partial", "Store credit"],
        },
      ],
      ageDays: 170,
    }),
    acme({
      key: "laptopRefresh",
      title: "Laptop Refresh",
      summary: "Replace a laptop at the end of its three-year life.",
      steps: ["Order laptop", "Migrate data", "Wipe old laptop"],
      ageDays: 100,
    }),
    acme({
      key: "securityIncident",
      title: "Security Incident Response",
      summary: "Contain, investigate and report a security incident.",
      steps: ["Contain", "Investigate", "Notify", "Post-mortem"],
      fields: [
        {
          key: "severity",
          type: "radio",
          label: "Severity",
          position: 1,
          required: true,
          options: URGENCY,
        },
        { key: "summary", type: "textarea", label: "What happened?", position: 2, required: true },
      ],
      ageDays: 60,
    }),
    {
      key: "labSafety",
      orgId: SEED.secondOrg.id,
      title: "Lab Safety Induction",
      summary: "Safety training before first access to the lab.",
      steps: ["Safety video", "Walk-through", "Quiz", "Badge activation"],
      fields: [{ key: "name", type: "text", label: "Trainee name", position: 1, required: true }],
      ageDays: 90,
    },
  ];
}

export function buildTemplates(now: number): SandboxTemplate[] {
  return specs().map((s) => template(s, now));
}
