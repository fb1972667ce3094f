import { describe, expect, it } from "vitest";
import { capabilitiesOf, parseRelease } from "../src/version.js";

describe("Odoo's version strings", () => {
  it.each([
    ["17.0", 17, 0, false],
    ["17.0+e-20240709", 17, 0, false],
    ["18.0", 18, 0, false],
    ["saas~18.4", 18, 4, true],
    ["19.0+e-20251227", 19, 0, false],
    ["saas~19.1", 19, 1, true],
    ["saas~19.1+e", 19, 1, true],
    ["19.1a1", 19, 1, false],
    ["20.0", 20, 0, false],
  ])("reads %s as %i.%i", (version, major, minor, saas) => {
    expect(parseRelease(version)).toEqual({ version, major, minor, saas });
  });

  it("refuses what is not a version", () => {
    expect(() => parseRelease("master")).toThrow(/not an Odoo version/);
    expect(() => parseRelease("")).toThrow(/not an Odoo version/);
  });

  it("decides each difference by (major, minor), so Odoo Online's saas releases fall where they belong", () => {
    const of = (version: string) => capabilitiesOf(parseRelease(version));
    expect(of("17.0")).toEqual({
      json2: false,
      nameSearchDomainKeyword: "args",
      formattedReadGroup: false,
      storableFlag: false,
      hasAccess: false,
      hasGroupOnRecords: false,
      stockMoveName: true,
      stockMoveLocationsComputed: false,
      userGroupsField: "groups_id",
      odooPaths: false,
    });
    // The web client's /odoo/<model>/<id> links arrived with saas~17.2's router.
    expect(of("saas~17.2")).toMatchObject({ odooPaths: true });
    expect(of("18.0")).toMatchObject({
      storableFlag: true,
      hasAccess: true,
      formattedReadGroup: false,
      json2: false,
      stockMoveLocationsComputed: true,
      odooPaths: true,
    });
    // The ORM changelog dates formatted_read_group (and read_group's deprecation) to saas~18.2.
    expect(of("saas~18.2")).toMatchObject({ formattedReadGroup: true, nameSearchDomainKeyword: "args" });
    expect(of("saas~19.1")).toEqual(of("19.0"));
    expect(of("19.0")).toMatchObject({
      json2: true,
      nameSearchDomainKeyword: "domain",
      stockMoveName: false,
      userGroupsField: "all_group_ids",
    });
    expect(of("20.0")).toEqual(of("19.0"));
  });
});
