import type { OdooClient } from "@odoo-mcp/odoo-client";
import type { Logger, Scope } from "@odoo-mcp/shared";
import type { ViewName } from "@odoo-mcp/views";
import type { z } from "zod";
import type { UrlFetcher } from "../downloads/fetch-url.js";
import type { DownloadLinks } from "../downloads/links.js";
import type { FieldCatalog } from "../odoo/fields.js";
import type { ModelPolicy } from "../odoo/model-policy.js";
import type { ServiceGuard } from "../odoo/service-guard.js";
import type { Confirmations } from "./confirmations.js";
import type { MailBudget } from "./mail-budget.js";

/** Who is calling, as introspection described the token. */
export interface Caller {
  sub: string | undefined;
  /** The person's Odoo login, how logs name them (the subject, `db:uid`, names no one a reader knows). */
  login?: string;
  clientId: string;
  /** The token's scopes with the narrower ones they imply (odoo:write implies odoo:read). */
  scopes: ReadonlySet<string>;
  /**
   * Why consenting again cannot give this caller `odoo:write`, when it cannot: their Odoo user may not
   * change data (`odoo_can_write: false`), or this server changes nothing for anyone (service mode
   * without ODOO_SERVICE_WRITES).
   */
  writeRefusal?: string;
  /** ODOO_AUTH_MODE=user: the person's Odoo credentials, sealed to this server (never logged). */
  odooCredential?: string;
  /** The grant the token was issued under, when introspection says (download links end with it). */
  grantId?: string;
}

export interface ToolContext {
  odoo: OdooClient;
  fields: FieldCatalog;
  policy: ModelPolicy;
  /** ODOO_AUTH_MODE=service: what Odoo reserves to its administrators, refused to people (odoo/service-guard.ts). */
  guard?: ServiceGuard;
  limits: { defaultLimit: number; maxRecords: number };
  /** Base URL of the Odoo web client, for links people can open. */
  webUrl: string;
  /** The authorization server's account page, where a person allows their apps to change data (step-up). */
  accountUrl: string;
  searchModels: readonly string[];
  /** `model:method` pairs odoo_call_method may run. */
  allowedMethods: ReadonlySet<string>;
  /** The operator's default Odoo context (lang, tz, allowed_company_ids). */
  defaultContext: Readonly<Record<string, unknown>>;
  caller: Caller;
  logger: Logger;
  /** What this call rewrote for the Odoo version it talks to (shown with the result); one array per call. */
  adaptations: string[];
  /** Files and email: download links, size cap, whom email may go to, the URL fetcher (absent in stand-ins). */
  files?: FileServices;
  /** Tokens binding a change to the person's click in the Confirm view (absent in stand-ins). */
  confirmations?: Confirmations;
  /**
   * This request's host renders MCP Apps views: a 2026-07-28 request declaring the extension, or an
   * initialize-era connection whose `initialize` did (mcp/view-sessions.ts). Changes wait for the person.
   */
  rendersViews?: boolean;
}

export interface FileServices {
  links: DownloadLinks;
  /** The largest file served, attached from a URL or embedded (MCP_FILE_MAX_BYTES). */
  maxBytes: number;
  /** ODOO_MAIL_RECIPIENTS. */
  mailRecipients: "self" | "partners";
  /** ODOO_MAIL_HOURLY_LIMIT, per person. */
  mailBudget: MailBudget;
  fetchUrl: UrlFetcher;
}

/**
 * Content blocks a tool adds after its JSON text (an embedded PDF resource). A symbol key, so it never
 * reaches structuredContent or the JSON text; the MCP layer appends it to `content`.
 */
export const EXTRA_CONTENT = Symbol("extraContent");

/**
 * The result's `_meta`: what a view needs besides the structured content (field labels, the Odoo link
 * form), which MCP Apps keeps out of the model's context. A symbol key, as EXTRA_CONTENT.
 */
export const RESULT_META = Symbol("resultMeta");

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolDefinition<Input extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  /** The OAuth scope a token needs to see and call the tool. */
  scope: Scope;
  /** Whether a call has Odoo render a PDF: counted against MCP_RENDERS_CONCURRENT besides the calls. */
  renders?: boolean;
  annotations: ToolAnnotations;
  /** The MCP Apps view (`ui://odoo/<view>`) that shows the tool's result in hosts that render views. */
  view?: ViewName;
  /**
   * Who calls the tool (MCP Apps `visibility`): the model and views by default; `["app"]` for a tool
   * only a view calls (a view's paging or drill-down), which hosts keep out of the model's tool list.
   */
  visibility?: readonly ("model" | "app")[];
  input: Input;
  /** The structured result; thrown ToolRefusal and OdooError become `isError` results. */
  run(context: ToolContext, args: z.output<Input>): Promise<Record<string, unknown>>;
}

/** A request the tool will not carry out, with a sentence that says what to change. */
export class ToolRefusal extends Error {
  override name = "ToolRefusal";
}

export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const defineTool = <Input extends z.ZodType>(tool: ToolDefinition<Input>): ToolDefinition =>
  tool as unknown as ToolDefinition;
