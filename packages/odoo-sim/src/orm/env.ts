import type { Database } from "./database.js";

export type Group = "admin" | "user" | "portal";

export interface SimUser {
  id: number;
  login: string;
  name: string;
  password: string;
  apiKey: string;
  group: Group;
  active: boolean;
}

/** Odoo's `env`: who calls, on which database, with which context. */
export interface Env {
  db: Database;
  uid: number;
  /** `admin` may do everything, `user` (internal) may read, `portal` may do nothing through the ORM. */
  group: Group;
  context: Record<string, unknown>;
}

/** The superuser environment the demo data is loaded with. */
export function superuserEnv(db: Database): Env {
  return { db, uid: 1, group: "admin", context: {} };
}
