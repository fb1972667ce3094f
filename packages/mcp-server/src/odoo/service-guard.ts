/**
 * ODOO_AUTH_MODE=service: every call runs as one service account, usually an administrator, so Odoo's
 * own rules cannot stop a person from what only administrators may do. What Odoo reserves to
 * administrators is read from Odoo itself, not listed here: a model whose access rules
 * (`ir.model.access`) grant an operation only to Settings or Access Rights is refused for that
 * operation; a field restricted to those groups (`groups=`, which `fields_get` reports: tokens, keys,
 * technical links) is never described or read (`reservedToAdmins`, used by the field catalog); and the
 * contact of an Odoo user (its e-mail is where password resets go) is never changed. Each model's rules
 * are asked once and kept for ACCESS_TTL_MS.
 */
import type { OdooClient } from "@odoo-mcp/odoo-client";
import { LRUCache } from "lru-cache";

/** The groups Odoo's administrators hold: Settings and Access Rights (base/security/base_groups.xml). */
const ADMIN_GROUPS = ["base.group_system", "base.group_erp_manager"];
const ACCESS_TTL_MS = 10 * 60_000;

export type Operation = "read" | "write";

interface ModelRules {
  /** Operations some group other than the administrators' (or every user) may do. */
  read: boolean;
  write: boolean;
}

/**
 * Whether a field's `groups` (as `fields_get` reports them: XML ids joined by commas, `!` for "not in")
 * let only the administrators use it.
 */
export const reservedToAdmins = (groups: string | undefined): boolean => {
  const names = (groups ?? "").split(",").filter(Boolean);
  return names.length > 0 && names.every((name) => ADMIN_GROUPS.includes(name));
};

export interface ServiceGuard {
  /** Undefined when people may `operation` records of `model` through the service account, else why not. */
  refusal(model: string, operation: Operation): Promise<string | undefined>;
  /** Undefined when none of these contacts belongs to an Odoo user, else why they may not be changed. */
  userContactsRefusal(partnerIds: readonly number[]): Promise<string | undefined>;
}

export function createServiceGuard(odoo: OdooClient): ServiceGuard {
  const grants = new LRUCache<string, Promise<ModelRules>>({ max: 2_000, ttl: ACCESS_TTL_MS });
  let adminGroups: Promise<Set<number>> | undefined;

  const adminGroupIds = () => {
    adminGroups ??= (async () => {
      // ["|", …, "&", [module], [name], …]: any of the XML ids.
      const ids = ADMIN_GROUPS.map((xmlId) => xmlId.split("."));
      const anyOf = [
        ...ids.slice(1).map(() => "|"),
        ...ids.flatMap(([module, name]) => ["&", ["module", "=", module], ["name", "=", name]]),
      ];
      const rows = (await odoo.executeKw("ir.model.data", "search_read", [[["model", "=", "res.groups"], ...anyOf]], {
        fields: ["res_id"],
      })) as { res_id: number }[];
      return new Set(rows.map((row) => row.res_id));
    })().catch((error: unknown) => {
      adminGroups = undefined;
      throw error;
    });
    return adminGroups;
  };

  const rulesOf = (model: string): Promise<ModelRules> => {
    let pending = grants.get(model);
    if (!pending) {
      pending = (async () => {
        const [admins, access] = await Promise.all([
          adminGroupIds(),
          odoo.executeKw("ir.model.access", "search_read", [[["model_id.model", "=", model]]], {
            fields: ["group_id", "perm_read", "perm_write", "perm_create", "perm_unlink"],
          }) as Promise<
            {
              group_id: [number, string] | false;
              perm_read: boolean;
              perm_write: boolean;
              perm_create: boolean;
              perm_unlink: boolean;
            }[]
          >,
        ]);
        // A rule without a group grants every user; one of another group than the administrators' grants its members.
        const beyondAdmins = access.filter((rule) => rule.group_id === false || !admins.has(rule.group_id[0]));
        return {
          read: beyondAdmins.some((rule) => rule.perm_read),
          write: beyondAdmins.some((rule) => rule.perm_write || rule.perm_create || rule.perm_unlink),
        };
      })();
      pending.catch(() => grants.delete(model));
      grants.set(model, pending);
    }
    return pending;
  };

  return {
    async refusal(model, operation) {
      const granted = await rulesOf(model);
      if (granted[operation]) return undefined;
      return operation === "read"
        ? `Odoo lets only its administrators read ${model}, and this server reads Odoo with one service account for everyone, so it does not show ${model} records.`
        : `Odoo lets only its administrators change ${model} records, and this server changes Odoo with one service account for everyone: make this change in Odoo itself.`;
    },
    async userContactsRefusal(partnerIds) {
      if (partnerIds.length === 0) return undefined;
      const owned = (await odoo.executeKw(
        "res.partner",
        "search",
        [
          [
            ["id", "in", [...partnerIds]],
            ["user_ids", "!=", false],
          ],
        ],
        { context: { active_test: false } },
      )) as number[];
      if (owned.length === 0) return undefined;
      return (
        `Contact ${owned.join(", ")} belongs to an Odoo user: their details (the e-mail password resets go to) are ` +
        "changed only by that user or an administrator, in Odoo itself."
      );
    },
  };
}
