import type { OdooClient } from "@odoo-mcp/odoo-client";
import type { Logger, Scope } from "@odoo-mcp/shared";
import type { z } from "zod";
import type { FieldCatalog } from "../odoo/fields.js";
import type { ModelPolicy } from "../odoo/model-policy.js";

/** Who is calling, as introspection described the token. */
export interface Caller {
  sub: string | undefined;
  clientId: string;
  scopes: ReadonlySet<string>;
  /** ODOO_AUTH_MODE=user: the person's Odoo credentials, sealed to this server (never logged). */
  odooCredential?: string;
}

export interface ToolContext {
  odoo: OdooClient;
  fields: FieldCatalog;
  policy: ModelPolicy;
  limits: { defaultLimit: number; maxRecords: number };
  /** Base URL of the Odoo web client, for links people can open. */
  webUrl: string;
  searchModels: readonly string[];
  /** `model:method` pairs odoo_call_method may run. */
  allowedMethods: ReadonlySet<string>;
  /** The operator's default Odoo context (lang, tz, allowed_company_ids). */
  defaultContext: Readonly<Record<string, unknown>>;
  caller: Caller;
  logger: Logger;
  /** What this call rewrote for the Odoo version it talks to (shown with the result); one array per call. */
  adaptations: string[];
}

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
  annotations: ToolAnnotations;
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
