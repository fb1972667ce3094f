import { describe, expect, it } from "vitest";
import { DEFAULT_DENIED_MODELS } from "../src/config.js";
import { domainProblem } from "../src/odoo/domain.js";
import { createModelPolicy } from "../src/odoo/model-policy.js";

describe("model policy", () => {
  const policy = createModelPolicy([], DEFAULT_DENIED_MODELS.split(","));

  it("denies Odoo internals and security models by default", () => {
    for (const model of ["ir.model", "ir.config_parameter", "res.users.apikeys", "res.groups", "bus.bus"]) {
      expect(policy.refusal(model), model).toBeDefined();
    }
    for (const model of ["res.partner", "sale.order", "stock.picking", "res.users"])
      expect(policy.refusal(model), model).toBeUndefined();
  });

  it("applies an allowlist when one is configured, and refuses what is not a model name", () => {
    const strict = createModelPolicy(["res.partner", "sale.*"], []);
    expect(strict.refusal("sale.order.line")).toBeUndefined();
    expect(strict.refusal("stock.picking")).toContain("not on this server's list");
    expect(strict.refusal("res.partner; drop")).toContain("not an Odoo model name");
  });
});

describe("domain validation", () => {
  const fields = new Set(["name", "country_id", "active"]);
  const problem = (domain: unknown) => domainProblem(domain, fields, "res.partner");

  it("accepts valid domains, implicit AND and prefix operators included", () => {
    for (const domain of [
      [],
      [["name", "ilike", "a"]],
      [
        ["name", "ilike", "a"],
        ["active", "=", true],
      ],
      ["|", ["name", "=", "a"], ["country_id.code", "=", "ES"]],
      ["!", ["active", "=", false]],
      ["&", "|", ["name", "=", "a"], ["name", "=", "b"], ["active", "=", true]],
      [["country_id", "in", [1, 2]]],
    ]) {
      expect(problem(domain), JSON.stringify(domain)).toBeUndefined();
    }
  });

  it("says what is wrong with an invalid one", () => {
    expect(problem("name = x")).toContain("must be a list");
    expect(problem([["name", "="]])).toContain("[field, operator, value]");
    expect(problem([["name", "~", "x"]])).toContain("unknown operator");
    expect(problem([["email", "=", "x"]])).toContain('no field "email"');
    expect(problem(["or", ["name", "=", "x"]])).toContain("is not an operator");
    expect(problem(["|", ["name", "=", "x"]])).toContain("unbalanced");
    expect(problem([["country_id", "in", 3]])).toContain("needs a list");
  });
});
