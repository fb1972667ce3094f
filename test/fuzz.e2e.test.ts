/**
 * Generated bad input against the running system (fast-check): malformed, missing, repeated and
 * oversized parameters, wrong content types and invalid UTF-8 at every OAuth and admin endpoint, and
 * malformed JSON-RPC, batches, unknown methods, wrong types, huge or deeply nested arguments, bad
 * domains, unknown models and fields and absurd limits at the MCP endpoint. Every answer must be a
 * standard error (or a success), never a 5xx, and the servers must still answer afterwards.
 */

import { ADMIN_TOKEN, connectorTokens, startTestSystem, type TestSystem } from "@odoo-mcp/testkit/system";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let system: TestSystem;
let accessToken: string;
const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
/** Fixed, so CI is repeatable; FUZZ_SEED=<n> explores other inputs. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

beforeAll(async () => {
  system = await startTestSystem({ REGISTRATION_RATE_LIMIT: "1000000" });
  accessToken = (await connectorTokens(system)).tokens.access_token;
});
afterAll(async () => {
  const lines = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `  ${key}: ${value}`);
  process.stdout.write(
    `fuzz cases (seed ${SEED}) by endpoint and status class:\n${lines.join("\n")}\n  total: ${[...tally.values()].reduce((a, b) => a + b, 0)}\n`,
  );
  await system?.close();
});

const PARAMS = [
  "grant_type",
  "code",
  "redirect_uri",
  "client_id",
  "client_secret",
  "code_verifier",
  "refresh_token",
  "scope",
  "resource",
  "token",
  "token_type_hint",
  "response_type",
  "code_challenge",
  "code_challenge_method",
  "state",
  "prompt",
  "nonce",
  "redirect_uris",
  "token_endpoint_auth_method",
  "grant_types",
  "client_name",
  "application_type",
  "id_token_hint",
];
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "",
    "authorization_code",
    "refresh_token",
    "chatgpt-odoo-mcp",
    "S256",
    "plain",
    "code",
    "odoo:read odoo:write",
    "https://evil.example/cb",
    "javascript:alert(1)",
    "http://127.0.0.1:1/x",
    "%00",
    "'; DROP TABLE x;--",
  ),
  fc.string({ minLength: 2000, maxLength: 6000 }),
);
/** A query or form: known and unknown names, single or repeated values. */
const params = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 12 })), text), {
  maxLength: 12,
});
const body = fc.oneof(
  params.map((pairs) => ({ type: "application/x-www-form-urlencoded", data: new URLSearchParams(pairs).toString() })),
  params.map((pairs) => ({ type: "application/json", data: JSON.stringify(Object.fromEntries(pairs)) })),
  fc.anything().map((value) => ({ type: "application/json", data: JSON.stringify(value) ?? "null" })),
  fc.string({ maxLength: 200 }).map((data) => ({
    type: fc.sample(
      fc.constantFrom(
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
      ),
      1,
    )[0] as string,
    data,
  })),
  fc
    .uint8Array({ minLength: 1, maxLength: 300 })
    .map((bytes) => ({ type: "application/json", data: Buffer.from([0xff, 0xfe, ...bytes]) })),
  fc.constant({ type: "application/x-www-form-urlencoded", data: `grant_type=${"x".repeat(200_000)}` }),
);
const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    `Bearer ${ADMIN_TOKEN}`,
    "Bearer nope",
    "Basic !!!",
    "Basic Og==",
    `Basic ${Buffer.from("chatgpt-odoo-mcp:wrong").toString("base64")}`,
  ),
  fc.string({ maxLength: 80 }),
);

/** A standard error: JSON with `error` (OAuth, RFC 6749/6750) or a JSON-RPC error, or an HTML error page. */
async function assertStandard(endpoint: string, response: Response) {
  const status = response.status;
  count(`${endpoint} ${Math.floor(status / 100)}xx`);
  expect(status, `${endpoint} answered ${status}`).toBeLessThan(500);
  if (status < 400) return;
  // Node's HTTP layer refuses oversized URLs, headers and bodies before any route runs: standard HTTP.
  if ([413, 414, 431].includes(status)) return;
  const type = response.headers.get("content-type") ?? "";
  const raw = await response.text();
  if (type.includes("text/html")) return expect(raw).toContain("<!doctype html>");
  // RFC 6750 §3: a protected resource may carry its error in the challenge alone.
  if (raw === "") return expect(response.headers.get("www-authenticate") ?? "").toMatch(/error="[a-z_]+"/);
  const parsed = JSON.parse(raw) as { error?: unknown; jsonrpc?: string };
  expect(typeof parsed.error === "string" || (parsed.jsonrpc === "2.0" && typeof parsed.error === "object")).toBe(true);
}

const OAUTH_ENDPOINTS = [
  "/oauth/token",
  "/oauth/register",
  "/oauth/register/",
  "/OAUTH/REGISTER",
  "/oauth/logout/confirm",
  "/oauth/introspect",
  "/oauth/revoke",
  "/oauth/tokens/revoke",
  "/oauth/rotate-secret",
  "/account/login",
  "/account/revoke",
  "/admin/login",
  "/admin/token",
  "/admin/revoke-all",
];

describe("generated bad input", { timeout: 180_000 }, () => {
  it("never gets a 5xx from the OAuth, registration, account and admin endpoints (POST)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OAUTH_ENDPOINTS), body, authorization, async (path, { type, data }, auth) => {
        const headers: Record<string, string> = {};
        if (type) headers["content-type"] = type;
        if (auth) headers.authorization = auth;
        const response = await fetch(`${system.issuer}${path}`, { method: "POST", headers, body: data });
        await assertStandard(`POST ${path}`, response);
      }),
      { numRuns: 3000, endOnFailure: true, seed: SEED },
    );
  });

  it("never gets a 5xx from the authorization endpoint and the GET admin endpoints", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "/oauth/authorize",
          "/oauth/credentials",
          "/oauth/tokens/active",
          "/oauth/userinfo",
          "/oauth/logout",
          "/oauth/revocations",
          "/interaction/abc",
          "/account",
          "/admin",
        ),
        params,
        authorization,
        async (path, pairs, auth) => {
          const url = new URL(`${system.issuer}${path}`);
          for (const [key, value] of pairs) url.searchParams.append(key, value);
          const response = await fetch(url, { redirect: "manual", headers: auth ? { authorization: auth } : {} });
          await assertStandard(`GET ${path}`, response);
        },
      ),
      { numRuns: 2000, endOnFailure: true, seed: SEED },
    );
  });

  it("never gets a 5xx from the MCP endpoint, whatever JSON-RPC it is sent", async () => {
    const tools = [
      "odoo_search_read_records",
      "odoo_search_records",
      "odoo_read_records",
      "odoo_count_records",
      "odoo_get_model_fields",
      "odoo_name_search",
      "odoo_create_record",
      "odoo_update_record",
      "odoo_delete_record",
      "odoo_call_method",
      "odoo_aggregate_records",
      "search",
      "fetch",
      "nope",
    ];
    const nested = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, fc.jsonValue(), fc.array(tie("node"), { maxLength: 3 })),
    })).node;
    const argumentsArb = fc.oneof(
      fc.record(
        {
          model: fc.oneof(
            fc.constantFrom(
              "res.partner",
              "product.template",
              "sale.order",
              "ir.config_parameter",
              "res.users.apikeys",
              "foo.bar",
              "",
            ),
            fc.string({ maxLength: 30 }),
          ),
          domain: fc.oneof(
            fc.constant([["customer_rank", ">", 0]]),
            // Dotted paths through relations, credentials and denied models.
            fc.constantFrom(
              [["user_ids.password", "=", "x"]],
              [["partner_id.user_ids.api_key_ids", "!=", false]],
              [["child_ids.user_ids.login", "ilike", "a"]],
              [["create_uid.groups_id.name", "=", "Settings"]],
              [["country_id.code.x.y.z", "=", "ES"]],
              [["user_ids", "any", [["password", "!=", false]]]],
            ),
            fc.array(
              fc.oneof(
                fc.constantFrom("&", "|", "!", "x"),
                fc.tuple(
                  fc.string({ maxLength: 12 }),
                  fc.constantFrom("=", "ilike", "in", "??", "child_of"),
                  fc.jsonValue(),
                ),
              ),
              { maxLength: 6 },
            ),
            nested,
          ),
          fields: fc.oneof(
            fc.constant(undefined),
            fc.constantFrom(["user_ids.password"], ["signup_token"], ["create_uid.login"], ["name", "api_key"]),
            fc.array(fc.string({ maxLength: 15 }), { maxLength: 5 }),
            fc.jsonValue(),
          ),
          limit: fc.oneof(
            fc.constant(undefined),
            fc.integer(),
            fc.double(),
            fc.constantFrom(0, -1, 1e12, Number.MAX_SAFE_INTEGER),
            fc.string(),
          ),
          offset: fc.oneof(fc.constant(undefined), fc.integer(), fc.string()),
          ids: fc.oneof(fc.constant(undefined), fc.array(fc.integer(), { maxLength: 5 }), fc.jsonValue()),
          values: fc.oneof(
            fc.constant(undefined),
            // Nested x2many commands, well and badly formed, into allowed and denied models.
            fc.constantFrom(
              { child_ids: [[0, 0, { name: "x", user_ids: [[0, 0, { login: "x", password: "y" }]] }]] },
              { user_ids: [[4, 1]] },
              { order_line: [[1, 1, { product_id: 1, price_unit: "x" }], [2, 999999], [5], [6, 0, [1, 2]]] },
              {
                category_id: [
                  [6, 0, [1, 2]],
                  [0, 0, { name: "t", parent_id: [[0, 0, {}]] }],
                ],
              },
              { child_ids: [[0], [0, 0], [9, 9, 9], "x", [0, 0, null]] },
              { groups_id: [[4, 1]], password: "x" },
            ),
            fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue(), { maxKeys: 4 }),
            nested,
          ),
          query: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 })),
          method: fc.oneof(
            fc.constant(undefined),
            fc.constantFrom("action_confirm", "button_validate", "action_cancel", "unlink", "_action_done"),
            fc.string({ maxLength: 20 }),
          ),
          groupby: fc.oneof(
            fc.constant(undefined),
            fc.constantFrom(["state"], ["date_order:month"], ["partner_id", "state"], ["nope:week"], ["user_id.login"]),
            fc.array(fc.string({ maxLength: 15 }), { maxLength: 3 }),
          ),
          aggregates: fc.oneof(
            fc.constant(undefined),
            fc.constantFrom(["amount_total:sum"], ["id:count_distinct"], ["name:sum"]),
            fc.jsonValue(),
          ),
          context: fc.oneof(
            fc.constant(undefined),
            fc.constantFrom({ allowed_company_ids: [1, 2] }, { allowed_company_ids: [99] }, { lang: "es_ES" }),
            fc.jsonValue(),
          ),
          id: fc.oneof(
            fc.constant(undefined),
            fc.string({ maxLength: 30 }),
            fc.constantFrom("res.partner:1", "res.partner:999999"),
          ),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    const message = fc.oneof(
      fc.record({
        jsonrpc: fc.constant("2.0"),
        id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
        method: fc.constant("tools/call"),
        params: fc.record({ name: fc.constantFrom(...tools), arguments: argumentsArb }),
      }),
      fc.record(
        {
          jsonrpc: fc.oneof(fc.constant("2.0"), fc.string({ maxLength: 4 })),
          id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
          method: fc.oneof(
            fc.constantFrom("tools/list", "initialize", "ping", "resources/list", "prompts/get", "no/such"),
            fc.string({ maxLength: 20 }),
          ),
          params: fc.anything(),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    // A request and a cancellation for it (or for another id) in one batch: answered, never left hanging.
    const cancelled = fc
      .tuple(message, fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), fc.boolean())
      .map(([request, id, same]) => [
        { ...(typeof request === "object" && request !== null ? request : {}), jsonrpc: "2.0", id },
        {
          jsonrpc: "2.0",
          method: "notifications/cancelled",
          params: { requestId: same ? id : `${String(id)}-other`, reason: "fuzz" },
        },
      ]);
    const payload = fc.oneof(
      message.map((value) => JSON.stringify(value) ?? "null"),
      cancelled.map((value) => JSON.stringify(value)),
      fc.array(message, { maxLength: 5 }).map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 200 }),
      fc.constant(`${"[".repeat(5000)}${"]".repeat(5000)}`),
      fc.constant(
        JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: {
            name: "odoo_search_records",
            arguments: { model: "res.partner", domain: Array(150).fill(["name", "=", "x".repeat(1000)]) },
          },
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        payload,
        fc.constantFrom("application/json", "text/plain", "application/json; charset=utf-8"),
        fc.boolean(),
        async (data, type, withToken) => {
          const response = await fetch(`${system.mcpUrl}/`, {
            method: "POST",
            headers: {
              "content-type": type,
              accept: "application/json",
              ...(withToken ? { authorization: `Bearer ${accessToken}` } : {}),
            },
            body: data,
          });
          await assertStandard("POST /mcp/", response);
        },
      ),
      { numRuns: 5000, endOnFailure: true, seed: SEED },
    );
  });

  it("leaves every server answering", async () => {
    expect((await fetch(`${system.issuer}/health`)).status).toBe(200);
    expect((await fetch(`${new URL(system.mcpUrl).origin}/ready`)).status).toBe(200);
    const total = [...tally.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(10_000);
  });
});
