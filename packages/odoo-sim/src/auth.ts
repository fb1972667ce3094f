/**
 * Who a credential is, by route (odoo/addons/base/models/res_users.py `_check_credentials`, and
 * res_users_apikeys.py): XML-RPC takes a password or an API key (`interactive=False`), the web client's
 * session sign-in takes passwords only (API keys are refused interactively), JSON-2 takes API keys only.
 * Archived users never authenticate.
 */
import { PythonError } from "./faults.js";
import type { Database } from "./orm/database.js";
import type { Env, SimUser } from "./orm/env.js";

const activeUser = (db: Database, login: unknown) =>
  db.users.find((candidate) => candidate.active && candidate.login === login);

export function userByPassword(db: Database, login: unknown, password: unknown): SimUser | undefined {
  const user = activeUser(db, login);
  return typeof password === "string" && password !== "" && user?.password === password ? user : undefined;
}

export function userByApiKey(db: Database, key: unknown): SimUser | undefined {
  if (typeof key !== "string" || key === "") return undefined;
  return db.users.find((candidate) => candidate.active && candidate.apiKey === key);
}

/**
 * Non-interactive (XML-RPC): the password, else an API key of that same user. From 18.0 an empty secret
 * reaches `res.users.apikeys._check_credentials`, whose `assert scope and key, "scope and key required"`
 * fails (res_users.py 18.0 L2313 and L2387, 19.0 L1570).
 */
export function userByPasswordOrKey(db: Database, login: unknown, secret: unknown): SimUser | undefined {
  if (secret === "" && db.release.major >= 18 && activeUser(db, login))
    throw new PythonError("AssertionError", "scope and key required");
  const user = userByPassword(db, login, secret);
  if (user) return user;
  const byKey = userByApiKey(db, secret);
  return byKey && byKey.login === login ? byKey : undefined;
}

/** The environment a request of `user` runs in, with Odoo's default context. */
export function userEnv(db: Database, user: SimUser): Env {
  return { db, uid: user.id, group: user.group, context: { lang: "en_US", tz: "Europe/Brussels", uid: user.id } };
}
