/**
 * Every tool's schemas, as tools/list publishes them (input, and output where a tool declares one), are
 * accepted where people use them:
 *
 * - the MCP Inspector: its portability lint (core/json/schemaLint.ts, re-implemented here), and Ajv, which
 *   it validates with, compiling each schema in strict mode as draft 2020-12;
 * - OpenAI's function calling, which checks every function's parameters, strict or not: an object at the
 *   top (no anyOf/oneOf/allOf/not/enum there), every array with `items` ("array schema missing items"),
 *   JSON Schema types only, no tuples (`prefixItems`), no `propertyNames`, no remote `$ref`;
 * - the subset OpenAI's strict mode supports (platform.openai.com/docs/guides/structured-outputs,
 *   "Supported schemas"), as far as it can hold: only `anyOf` to combine schemas, none of the keywords it
 *   lacks, formats from its list, at most 10 levels of nesting. Two of its rules cannot hold, so a client
 *   that forces strict mode must relax them: every property required (arguments are optional, with
 *   defaults) and `additionalProperties: false` on every object (create, update and call_method take field
 *   maps, whose values are described by `additionalProperties`). docs/servers.md says so.
 */
import { ALL_SCOPES } from "@odoo-mcp/shared";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { listTools } from "../src/mcp/server.js";

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

type Schema = Record<string, unknown>;

/** Each subschema with its path, the schema itself first. */
function* subschemas(schema: unknown, path = "#"): Generator<[string, Schema]> {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return;
  const node = schema as Schema;
  yield [path, node];
  for (const key of SINGLE) if (node[key] !== undefined) yield* subschemas(node[key], `${path}/${key}`);
  for (const key of LISTS)
    if (Array.isArray(node[key]))
      for (const [index, sub] of (node[key] as unknown[]).entries()) yield* subschemas(sub, `${path}/${key}/${index}`);
  for (const key of MAPS)
    if (node[key] && typeof node[key] === "object")
      for (const [name, sub] of Object.entries(node[key] as Schema)) yield* subschemas(sub, `${path}/${key}/${name}`);
}

const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const typesOf = (node: Schema) => (Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type]);

/** What OpenAI's function calling refuses in any function's parameters, strict or not. */
function openAiProblems(schema: Schema): string[] {
  const problems: string[] = [];
  if (schema.type !== "object") problems.push('#: the parameters must be a schema of type "object"');
  for (const key of ["anyOf", "oneOf", "allOf", "not", "enum"])
    if (key in schema) problems.push(`#: "${key}" is not allowed at the top`);
  for (const [path, node] of subschemas(schema)) {
    for (const type of typesOf(node)) if (!JSON_TYPES.has(type as string)) problems.push(`${path}: type ${type}`);
    if (typesOf(node).includes("array") && (typeof node.items !== "object" || Array.isArray(node.items)))
      problems.push(`${path}: array schema missing items`);
    for (const key of ["prefixItems", "propertyNames"]) if (key in node) problems.push(`${path}: "${key}"`);
    if (typeof node.$ref === "string" && !node.$ref.startsWith("#")) problems.push(`${path}: remote $ref`);
  }
  return problems;
}

/** Keywords OpenAI's strict mode does not support (its "Supported schemas" lists what it does). */
const NOT_IN_STRICT = [
  "allOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  "dependentRequired",
  "dependentSchemas",
  "patternProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "prefixItems",
  "contains",
  "minContains",
  "maxContains",
  "uniqueItems",
];
const STRICT_FORMATS = new Set(["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"]);
const STRICT_MAX_NESTING = 10;

/** How deep objects and arrays nest in a schema (the top object is level 1). */
function nesting(schema: unknown): number {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return 0;
  const node = schema as Schema;
  const own = typesOf(node).some((type) => type === "object" || type === "array") ? 1 : 0;
  const children = [
    ...SINGLE.map((key) => node[key]),
    ...LISTS.flatMap((key) => (Array.isArray(node[key]) ? (node[key] as unknown[]) : [])),
    ...MAPS.flatMap((key) => (node[key] && typeof node[key] === "object" ? Object.values(node[key] as Schema) : [])),
  ];
  // An anyOf without a type of its own adds no level: its branches count theirs.
  return own + Math.max(0, ...children.map((child) => nesting(child)));
}

/** What the strict subset refuses, among the rules that can hold for these tools. */
function strictSubsetProblems(schema: Schema): string[] {
  const problems: string[] = [];
  for (const [path, node] of subschemas(schema)) {
    for (const key of NOT_IN_STRICT) if (key in node) problems.push(`${path}: "${key}"`);
    if (typeof node.format === "string" && !STRICT_FORMATS.has(node.format))
      problems.push(`${path}: format "${node.format}"`);
  }
  if (nesting(schema) > STRICT_MAX_NESTING) problems.push(`#: nests ${nesting(schema)} levels deep`);
  return problems;
}

describe("the OpenAI checks themselves", () => {
  it("find what OpenAI refuses", () => {
    const bad = {
      type: "object",
      properties: {
        ids: { type: "array" },
        term: { type: "array", prefixItems: [{ type: "string" }], items: { type: "string" } },
        values: { type: "object", propertyNames: { type: "string" }, additionalProperties: { type: "string" } },
        nested: { anyOf: [{ type: "array" }, { type: "string" }] },
      },
    };
    expect(openAiProblems(bad)).toEqual([
      "#/properties/ids: array schema missing items",
      '#/properties/term: "prefixItems"',
      '#/properties/values: "propertyNames"',
      "#/properties/nested/anyOf/0: array schema missing items",
    ]);
    expect(openAiProblems({ anyOf: [{ type: "object" }] })).toEqual([
      '#: the parameters must be a schema of type "object"',
      '#: "anyOf" is not allowed at the top',
    ]);
    expect(
      strictSubsetProblems({ type: "object", properties: { a: { type: "string", format: "uri" } }, allOf: [] }),
    ).toEqual(['#: "allOf"', '#/properties/a: format "uri"']);
  });
});

const PUBLISHED = listTools(new Set(ALL_SCOPES), "https://auth.example.com/account").tools.flatMap((tool) => [
  { name: tool.name, which: "input", schema: tool.inputSchema as Schema },
  ...(tool.outputSchema ? [{ name: tool.name, which: "output", schema: tool.outputSchema as Schema }] : []),
]);

describe.each(PUBLISHED)("$name's $which schema", ({ schema }) => {
  it("has no portability findings (the Inspector's lint)", () => {
    expect(lintSchema(schema)).toEqual([]);
  });

  it("compiles with Ajv in strict mode as draft 2020-12 (the Inspector's validator)", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it("passes what OpenAI's function calling checks", () => {
    expect(openAiProblems(schema)).toEqual([]);
  });

  it("stays within OpenAI's strict subset where it can", () => {
    expect(strictSubsetProblems(schema)).toEqual([]);
  });
});

describe("the published schemas accept the calls the tools take", () => {
  const validator = (name: string) => {
    const tool = PUBLISHED.find((each) => each.name === name && each.which === "input");
    return new Ajv2020({ strict: true, allErrors: true }).compile(tool?.schema as Schema);
  };

  it("domains: operators, terms with lists, and a sub-domain of any", () => {
    const valid = validator("odoo_search_read_records");
    expect(
      valid({
        model: "res.partner",
        domain: [
          "|",
          ["id", "in", [1, 2]],
          ["name", "ilike", "dell"],
          ["category_id", "any", [["name", "=", "VIP"]]],
          ["active", "=", true],
          ["parent_id", "=", false],
          ["credit_limit", ">", 0.5],
          ["email", "!=", null],
        ],
      }),
    ).toBe(true);
    expect(valid({ model: "res.partner", domain: [["name", "="]] })).toBe(false);
    expect(valid({ model: "res.partner", domain: ["and"] })).toBe(false);
  });

  it("record values: many2one ids and x2many commands with nested values", () => {
    const valid = validator("odoo_create_record");
    expect(
      valid({
        model: "sale.order",
        values: {
          partner_id: 7,
          note: "Rush",
          order_line: [[0, 0, { product_id: 3, product_uom_qty: 2 }]],
          tag_ids: [[6, 0, [1, 2]]],
          properties: { colour: "red" },
        },
      }),
    ).toBe(true);
  });

  it("call_method's positional and keyword arguments", () => {
    const valid = validator("odoo_call_method");
    expect(
      valid({
        model: "sale.order",
        method: "action_confirm",
        ids: [1],
        args: [[1, 2], "x"],
        kwargs: { force: true, lines: [[1, 2]] },
      }),
    ).toBe(true);
  });
});
