import { describe, expect, it } from "vitest";
import { fieldBlockId } from "../../src/blocks/kickoff/index.ts";
import { mapValidationError } from "../../src/blocks/modals/validation-map.ts";
import { TallyfyValidationError } from "../../src/tallyfy/errors.ts";
import { allTypesTemplate } from "./modals-fixtures.ts";

const targets = {
  name: "run_name",
  summary: "run_summary",
  owner: "run_owner",
  tags: "run_tags",
  fields: allTypesTemplate().prerun.filter((f) => f.field_type !== "file"),
  fieldBlockId,
};
const map = (d: ConstructorParameters<typeof TallyfyValidationError>[0]) =>
  mapValidationError(new TallyfyValidationError(d), targets);

describe("mapValidationError", () => {
  it("puts '<label> is required' on that field", () => {
    expect(map({ tallyfyMessage: "Personal email is required" })).toEqual({
      errors: { ko_f_email: "Personal email is required" },
      general: [],
    });
  });

  it("puts field errors on the run inputs they name", () => {
    const mapped = map({
      fieldErrors: {
        name: ["The name may not be greater than 550 characters."],
        owner_id: ["Invalid owner."],
      },
    });
    expect(mapped.errors).toEqual({
      run_name: "The name may not be greater than 550 characters.",
      run_owner: "Invalid owner.",
    });
    expect(mapped.general).toEqual([]);
  });

  it("recognises prerun.<field id> keys", () => {
    expect(map({ fieldErrors: { "prerun.f_date": ["Not a date."] } }).errors).toEqual({
      ko_f_date: "Not a date.",
    });
  });

  it("keeps what names no input as a general message", () => {
    expect(map({ tallyfyMessage: "Invalid dropdown choice selected." })).toEqual({
      errors: {},
      general: ["Invalid dropdown choice selected."],
    });
    // the file field is not an input in the form, so its error cannot sit on it
    expect(map({ tallyfyMessage: "Contract is required" }).general).toEqual([
      "Contract is required",
    ]);
  });

  it("falls back to the error's own sentence", () => {
    expect(map({}).general).toEqual(["Tallyfy rejected the values sent."]);
  });
});
