/**
 * Step-up: a person who first allowed reading only can allow changes later, from the chat client. So the
 * write tools are listed to a read-only token too (the model must be able to call one to be told), unless
 * consenting again cannot give writing (`cannotConsentTo`); calling one is refused before anything runs,
 * with the scope challenge in the form the client acts on:
 *
 * - MCP authorization, "Scope challenge handling" (2025-11-25): HTTP 403 with `WWW-Authenticate: Bearer
 *   error="insufficient_scope", scope="odoo:read odoo:write", resource_metadata=…`. The SDK clients (v1 and
 *   v2), mcp-remote, the Inspector and the AI SDK re-authorize with the scopes it names. It names the scopes
 *   the token holds as well as the missing one: SDK v1 asks for exactly the challenge's scope, and a token
 *   for writing alone would then read only through the hierarchy, not by consent.
 * - OpenAI Apps SDK (ChatGPT): ChatGPT shows its linking UI for a tool only when the tool declares
 *   `securitySchemes` and a call answers a tool result with `isError` and `_meta["mcp/www_authenticate"]`
 *   holding that same challenge (developers.openai.com/apps-sdk/build/auth, "Triggering authentication UI");
 *   it does not step up on an HTTP 403. ChatGPT is recognised by the `openai/…` keys it puts in a call's
 *   `_meta` (`openai/locale`, `openai/userAgent`, `openai/userLocation`). Only the refusal's form depends on
 *   them, never what is allowed: either way the call does not run.
 */
import type { CallToolResult, JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import { ALL_SCOPES, SCOPES } from "@odoo-mcp/shared";
import { InsufficientScope } from "../auth/errors.js";
import type { Caller } from "../tools/index.js";

/**
 * Whether consenting again cannot give the caller this scope: Odoo does not let the person write, or the
 * server writes for nobody (`caller.writeRefusal`). A step-up challenge would only send them round the
 * consent page to come back with the same token; a tool error tells them why instead, and tools/list
 * leaves the write tools out.
 */
export const cannotConsentTo = (scope: string, caller: Caller) =>
  scope === SCOPES.write && caller.writeRefusal !== undefined;

/** The scopes whose tools tools/list shows the caller: those it holds or could get by consenting again. */
export function listedScopes(caller: Caller): ReadonlySet<string> {
  return new Set(ALL_SCOPES.filter((scope) => caller.scopes.has(scope) || !cannotConsentTo(scope, caller)));
}

/** The page of the authorization server where a person changes what their apps may do. */
export const accountPage = (issuer: string) => new URL("account", issuer.endsWith("/") ? issuer : `${issuer}/`).href;

/** What to do when the write scope is missing, in words the model can pass on (every write tool's description). */
export const stepUpNote = (accountUrl: string) =>
  "Needs permission to change Odoo data (odoo:write). If a call is refused for lack of it, ask the person to " +
  `allow changes when their app asks them to connect again, or at ${accountUrl} ("Let it also change data"), then call again.`;

/** The refusal of a request needing `needed`, naming every scope the token should carry after consenting again. */
export function scopeChallenge(needed: string, caller: Caller, accountUrl: string): InsufficientScope {
  const scope = ALL_SCOPES.filter((each) => each === needed || caller.scopes.has(each)).join(" ");
  const what = needed === SCOPES.write ? "Changing Odoo data" : "Reading Odoo data";
  const allow = needed === SCOPES.write ? "allow changes" : "allow reading";
  return new InsufficientScope(
    scope,
    `${what} needs the ${needed} permission, which this connection was not given: ${allow} when your app asks you to connect again, or at ${accountUrl}.`,
  );
}

/** Whether a request comes from an OpenAI Apps SDK host (ChatGPT), by the `openai/` keys of its `_meta`. */
export function fromAppsSdkHost(request: JSONRPCRequest): boolean {
  const meta = (request.params as { _meta?: unknown } | undefined)?._meta;
  return typeof meta === "object" && meta !== null && Object.keys(meta).some((key) => key.startsWith("openai/"));
}

/** The Apps SDK's form of the challenge: a tool error carrying it in `_meta["mcp/www_authenticate"]`. */
export function challengeResult(challenge: InsufficientScope, resourceMetadataUrl: string): CallToolResult {
  return {
    content: [{ type: "text", text: challenge.description }],
    isError: true,
    _meta: { "mcp/www_authenticate": [challenge.wwwAuthenticate(resourceMetadataUrl) as string] },
  };
}
