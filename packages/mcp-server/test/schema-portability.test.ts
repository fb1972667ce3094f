/**
 * Every tool's input schema passes the MCP Inspector's portability lint (its core/json/schemaLint.ts
 * rules, re-implemented here) and has no top-level anyOf/oneOf, which some model providers reject.
 */
import { describe, expect, it } from "vitest";
import { ALL_TOOLS, describeTool } from "../src/tools/index.js";

type Rule = "boolean-schema" | "type-union" | "remote-ref" | "untyped-schema";
interface Finding {
  rule: Rule;
  path: string;
}

/** Keywords that constrain a value: a schema with none of them accepts anything. */
const CONSTRAINING = new Set([
  "type",
  "enum",
  "const",
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "format",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxContains",
  "minContains",
  "maxProperties",
  "minProperties",
  "required",
  "dependentRequired",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "items",
  "prefixItems",
  "contains",
  "properties",
  "patternProperties",
  "additionalProperties",
  "$ref",
]);
/** Where a bare `true` / `false` is the idiomatic spelling (no other keyword says "no more keys"). */
const BOOLEAN_ALLOWED = new Set(["additionalProperties", "unevaluatedProperties", "unevaluatedItems"]);
/** Keywords holding one subschema. */
const SINGLE = [
  "items",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "additionalProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "propertyNames",
];
/** Keywords holding a list of subschemas. */
const LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
/** Keywords holding a map of subschemas. */
const MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

/** The Inspector's four rules over a schema and every subschema it holds. */
function lintSchema(schema: unknown, path = "#", keyword?: string): Finding[] {
  if (typeof schema === "boolean")
    return keyword && BOOLEAN_ALLOWED.has(keyword) ? [] : [{ rule: "boolean-schema", path }];
  if (typeof schema !== "object" || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const findings: Finding[] = [];
  if (Array.isArray(node.type)) findings.push({ rule: "type-union", path });
  if (typeof node.$ref === "string" && !node.$ref.startsWith("#")) findings.push({ rule: "remote-ref", path });
  // `not: {}` ("nothing") is meaningful, so what sits under `not` is exempt.
  if (keyword !== "not" && !Object.keys(node).some((key) => CONSTRAINING.has(key)))
    findings.push({ rule: "untyped-schema", path });
  for (const key of SINGLE) {
    const sub = node[key];
    if (key === "items" && Array.isArray(sub))
      for (const [index, item] of sub.entries()) findings.push(...lintSchema(item, `${path}/items/${index}`, "items"));
    else if (sub !== undefined) findings.push(...lintSchema(sub, `${path}/${key}`, key));
  }
  for (const key of LISTS)
    if (Array.isArray(node[key]))
      for (const [index, sub] of (node[key] as unknown[]).entries())
        findings.push(...lintSchema(sub, `${path}/${key}/${index}`, key));
  for (const key of MAPS)
    if (node[key] && typeof node[key] === "object")
      for (const [name, sub] of Object.entries(node[key] as Record<string, unknown>))
        findings.push(...lintSchema(sub, `${path}/${key}/${name}`, key));
  return findings;
}

describe("the lint itself", () => {
  it("finds each rule where the Inspector does", () => {
    expect(
      lintSchema({
        type: "object",
        properties: {
          domain: { type: "array", items: {} },
          described: { description: "only words" },
          nullable: { type: ["string", "null"] },
          remote: { $ref: "https://example.com/schema.json" },
          anything: true,
          never: { not: {} },
          closed: { type: "object", additionalProperties: false },
        },
      }),
    ).toEqual([
      { rule: "untyped-schema", path: "#/properties/domain/items" },
      { rule: "untyped-schema", path: "#/properties/described" },
      { rule: "type-union", path: "#/properties/nullable" },
      { rule: "remote-ref", path: "#/properties/remote" },
      { rule: "boolean-schema", path: "#/properties/anything" },
    ]);
    expect(lintSchema({ $defs: { value: { anyOf: [{ type: "string" }, {}] } }, $ref: "#/$defs/value" })).toEqual([
      { rule: "untyped-schema", path: "#/$defs/value/anyOf/1" },
    ]);
  });
});

describe.each(ALL_TOOLS.map((tool) => ({ name: tool.name, schema: describeTool(tool).inputSchema })))(
  "$name's input schema",
  ({ schema }) => {
    it("has no portability findings", () => {
      expect(lintSchema(schema)).toEqual([]);
    });

    it("is a plain object schema at the top (no anyOf/oneOf there)", () => {
      expect(schema.type).toBe("object");
      expect(schema).not.toHaveProperty("anyOf");
      expect(schema).not.toHaveProperty("oneOf");
      expect(schema).not.toHaveProperty("allOf");
    });
  },
);
