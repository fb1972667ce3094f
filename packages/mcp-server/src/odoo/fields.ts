import type { OdooClient } from "@odoo-mcp/odoo-client";
import { LRUCache } from "lru-cache";

export interface FieldInfo {
  type: string;
  string: string;
  required?: boolean;
  readonly?: boolean;
  store?: boolean;
  relation?: string;
  selection?: [string, string][];
  help?: string | false;
}

const ATTRIBUTES = ["type", "string", "required", "readonly", "store", "relation", "selection", "help"];
/** Mail and activity plumbing that bloats every answer and helps no question. */
const NOISE = /^(message_|activity_|website_message_|__)/;

/** `fields_get` per model, cached for a few minutes: tools validate fields and domains against it. */
export class FieldCatalog {
  private readonly cache = new LRUCache<string, Record<string, FieldInfo>>({ max: 500, ttl: 5 * 60_000 });

  constructor(private readonly odoo: OdooClient) {}

  async describe(model: string): Promise<Record<string, FieldInfo>> {
    const cached = this.cache.get(model);
    if (cached) return cached;
    const fields = (await this.odoo.executeKw(model, "fields_get", [], { attributes: ATTRIBUTES })) as Record<
      string,
      FieldInfo
    >;
    this.cache.set(model, fields);
    return fields;
  }

  /** The fields a read returns when none are named: stored, not binary, not one2many, not mail plumbing. */
  async defaultFields(model: string): Promise<string[]> {
    const fields = await this.describe(model);
    return Object.entries(fields)
      .filter(
        ([name, info]) =>
          info.store !== false && info.type !== "binary" && info.type !== "one2many" && !NOISE.test(name),
      )
      .map(([name]) => name);
  }
}
