/**
 * Who a credential is, by route (odoo/addons/base/models/res_users.py `_check_credentials`, and
 * res_users_apikeys.py): XML-RPC takes a password or an API key (`interactive=False`), the web client's
 * session sign-in takes passwords only (API keys are refused interactively), JSON-2 takes API keys only.
 * Archived users never authenticate.
 */
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

/** Non-interactive (XML-RPC): the password, else an API key of that same user. */
export function userByPasswordOrKey(db: Database, login: unknown, secret: unknown): SimUser | undefined {
  const user = userByPassword(db, login, secret);
  if (user) return user;
  const byKey = userByApiKey(db, secret);
  return byKey && byKey.login === login ? byKey : undefined;
}

/** The environment a request of `user` runs in, with Odoo's default context. */
export function userEnv(db: Database, user: SimUser): Env {
  return { db, uid: user.id, group: user.group, context: { lang: "en_US", tz: "Europe/Brussels", uid: user.id } };
}
