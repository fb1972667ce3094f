/**
 * What a person may do in Odoo now, asked with the service account rather than the person's own
 * credentials (which the authorization server does not keep): whether they are still an active internal
 * user, and whether they may still be given `odoo:write` — a member of the write group, or, without
 * one, of a group that may create records of the check model (ir.model.access, as Odoo decides it).
 * The service account needs to read res.users, ir.model.data and ir.model.access (an administrator).
 */
import type { OdooClient } from "./client.js";

export interface UserRights {
  /** Exists, is active and is an internal user (not portal or public). */
  internal: boolean;
  canWrite: boolean;
}

export interface RightsRules {
  /** XML id of the group whose members may write; unset: whoever may create `writeCheckModel` records. */
  writeGroup?: string | undefined;
  writeCheckModel: string;
}

const NOBODY: UserRights = { internal: false, canWrite: false };

export async function userRights(odoo: OdooClient, uid: number, rules: RightsRules): Promise<UserRights> {
  const server = await odoo.server();
  const groupsField = server.userGroupsField;
  const [user] = (await odoo.executeKw("res.users", "search_read", [[["id", "=", uid]]], {
    fields: ["active", "share", groupsField],
    context: { active_test: false },
  })) as (Record<string, unknown> | undefined)[];
  if (user?.active !== true || user.share === true) return NOBODY;
  const groups = new Set(user[groupsField] as number[]);
  if (rules.writeGroup) {
    const [module, name] = rules.writeGroup.split(".");
    const found = (await odoo.executeKw(
      "ir.model.data",
      "search_read",
      [
        [
          ["model", "=", "res.groups"],
          ["module", "=", module],
          ["name", "=", name],
        ],
      ],
      { fields: ["res_id"], limit: 1 },
    )) as { res_id: number }[];
    return { internal: true, canWrite: found.some((data) => groups.has(data.res_id)) };
  }
  const grants = (await odoo.executeKw(
    "ir.model.access",
    "search_read",
    [
      [
        ["model_id.model", "=", rules.writeCheckModel],
        ["perm_create", "=", true],
      ],
    ],
    { fields: ["group_id"] },
  )) as { group_id: [number, string] | false }[];
  return {
    internal: true,
    canWrite: grants.some((rule) => rule.group_id === false || groups.has(rule.group_id[0])),
  };
}
