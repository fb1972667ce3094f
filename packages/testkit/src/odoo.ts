/**
 * The Odoo a suite runs against: the simulator of a release, or a real Odoo of that release (`pnpm
 * test:odoo`), each a fresh database of the same guide fixtures. Tests reach both the same way: by URL,
 * database and users, and through an administrator's Odoo client to prepare and inspect what the tools did.
 */
import { readFileSync } from "node:fs";
import { createOdooClient, type OdooClient } from "@odoo-mcp/odoo-client";
import {
  DEMO_USERS,
  guideFixtures,
  type OdooSim,
  type OdooVersion,
  type QueuedEmail,
  SIM_VERSIONS,
  startOdooSim,
} from "@odoo-mcp/odoo-sim";
import { inject } from "vitest";
import { copyDatabase, type RealOdooUser, TEMPLATE_DB } from "./real-odoo/index.js";

export interface Person {
  login: string;
  password: string;
  /** Empty where the person has none. */
  apiKey: string;
  name: string;
}

export interface OdooUsers {
  /** Settings and every right. */
  admin: Person;
  /** An internal user with only Sales and Inventory user rights (creates no contacts or products). */
  user: Person;
  /** A portal user: not internal, may not connect an app. */
  portal: Person;
  /** An archived internal user: may not sign in. */
  former: Person;
}

/** What a real Odoo started by the global set-up tells the test files (see real-odoo/global-setup.ts). */
export interface RealOdooHandle {
  version: string;
  url: string;
  users: RealOdooUser[];
  pgPort: number;
  dataDir: string;
  logFile: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The real Odoo servers of `pnpm test:odoo`, by release; absent under `pnpm test`. */
    realOdoo: Partial<Record<OdooVersion, RealOdooHandle>>;
  }
}

/** The real Odoo servers this run has (none under `pnpm test`). */
export const realOdooServers = (): Partial<Record<OdooVersion, RealOdooHandle>> => inject("realOdoo") ?? {};

export interface OdooUnderTest {
  real: boolean;
  version: OdooVersion;
  url: string;
  db: string;
  users: OdooUsers;
  /** The administrator, over the protocol this release prefers, with their password. */
  admin: OdooClient;
  /** mail.mail, oldest first: who would be e-mailed what (real Odoo keeps them: its SMTP port is closed). */
  mailQueue(): Promise<QueuedEmail[]>;
  /** The deprecation warnings Odoo logged for method calls on this database. */
  deprecations(): string[];
  /** The simulator behind a simulated target (for tests of the simulator itself). */
  sim?: OdooSim;
  close(): Promise<void>;
}

const simPerson = (login: string): Person => {
  const user = DEMO_USERS.find((candidate) => candidate.login === login);
  if (!user) throw new Error(`no simulator user ${login}`);
  return { login, password: user.password, apiKey: user.apiKey, name: user.name };
};

const adminClient = (url: string, db: string, admin: Person) =>
  createOdooClient({
    url,
    db,
    username: admin.login,
    secret: admin.password,
    timeoutMs: 60_000,
    rejectedMessage: "the administrator was refused",
    protocol: "auto",
  });

/** The simulator's demo users, by role. */
export const simUsers = (): OdooUsers => ({
  admin: simPerson("admin"),
  user: simPerson("demo"),
  portal: simPerson("portal"),
  former: simPerson("former"),
});

async function simulated(version: OdooVersion): Promise<OdooUnderTest> {
  const sim = await startOdooSim({ version, proxyMode: true }); // as the real targets run
  const users = simUsers();
  const admin = adminClient(sim.url, sim.db, users.admin);
  return {
    real: false,
    version,
    url: sim.url,
    db: sim.db,
    users,
    admin,
    mailQueue: () => readMailQueue(admin),
    deprecations: () => [...sim.database.warnings],
    sim,
    close: () => sim.close(),
  };
}

let copies = 0;

/** A fresh copy of the real Odoo's demo database, served by the real Odoo of `version`. */
async function real(version: OdooVersion, server: RealOdooHandle): Promise<OdooUnderTest> {
  const db = `t${process.pid}_${++copies}_${Date.now().toString(36)}`;
  copyDatabase(server, TEMPLATE_DB, db);
  const person = (login: string, name: string): Person => {
    const user = server.users.find((candidate) => candidate.login === login);
    if (!user) throw new Error(`the real Odoo has no ${login}`);
    return { ...user, name };
  };
  const users: OdooUsers = {
    admin: person("admin", "Mitchell Admin"),
    user: person("clerk", "Carla Clerk"),
    // Odoo's own demo portal user; the archived one comes with the guide's fixtures.
    portal: { login: "portal", password: "portal", apiKey: "", name: "Joel Willis" },
    former: { ...guideFixtures.FORMER_USER, apiKey: "" },
  };
  const admin = adminClient(server.url, db, users.admin);
  // Odoo loads a database's registry on its first request (seconds on two busy cores): here, not in a test.
  await admin.executeKw("res.users", "context_get", [], {});
  return {
    real: true,
    version,
    url: server.url,
    db,
    users,
    admin,
    mailQueue: () => readMailQueue(admin),
    deprecations: () => deprecationsLogged(server.logFile, db),
    close: async () => undefined,
  };
}

/** The simulator of `version`, or its real Odoo when this run has one. */
export async function openOdoo(version: OdooVersion, kind: "sim" | "real" = "sim"): Promise<OdooUnderTest> {
  if (kind === "sim") return simulated(version);
  const server = realOdooServers()[version];
  if (!server) throw new Error(`this run has no real Odoo ${version} (pnpm test:odoo starts them)`);
  return real(version, server);
}

/**
 * Warnings about deprecated methods in Odoo's log for `db`: `py.warnings` lines (odoo/netsvc.py routes
 * `warnings.warn` there), without 19.0's warning on the deprecated `/xmlrpc` endpoint itself.
 */
function deprecationsLogged(logFile: string, db: string): string[] {
  return readFileSync(logFile, "utf8")
    .split("\n")
    .filter((line) => line.includes(` WARNING ${db} `) && /deprecat/i.test(line) && !/\/xmlrpc|\/jsonrpc/.test(line));
}

async function readMailQueue(admin: OdooClient): Promise<QueuedEmail[]> {
  const mails = (await admin.executeKw("mail.mail", "search_read", [[]], {
    fields: ["subject", "body_html", "email_from", "recipient_ids", "model", "res_id", "attachment_ids"],
    order: "id asc",
  })) as {
    id: number;
    subject: string | false;
    body_html: string | false;
    email_from: string | false;
    recipient_ids: number[];
    model: string | false;
    res_id: number | false;
    attachment_ids: number[];
  }[];
  const partnerIds = [...new Set(mails.flatMap((mail) => mail.recipient_ids))];
  const attachmentIds = [...new Set(mails.flatMap((mail) => mail.attachment_ids))];
  const partners = new Map(
    (
      (await admin.executeKw("res.partner", "read", [partnerIds, ["name", "email"]], {
        context: { active_test: false },
      })) as { id: number; name: string; email: string | false }[]
    ).map((partner) => [partner.id, partner]),
  );
  const attachments = new Map(
    (
      (await admin.executeKw("ir.attachment", "read", [attachmentIds, ["name", "mimetype", "file_size"]], {})) as {
        id: number;
        name: string;
        mimetype: string;
        file_size: number;
      }[]
    ).map((attachment) => [attachment.id, attachment]),
  );
  return mails.map((mail) => ({
    id: mail.id,
    subject: mail.subject || "",
    body: mail.body_html || "",
    from: mail.email_from || "",
    to: mail.recipient_ids.map((id) => ({
      partnerId: id,
      name: partners.get(id)?.name ?? "",
      email: partners.get(id)?.email || "",
    })),
    model: mail.model,
    resId: mail.res_id || 0,
    attachments: mail.attachment_ids.map((id) => {
      const { name = "", mimetype = "", file_size = 0 } = attachments.get(id) ?? {};
      return { name, mimetype, size: file_size };
    }),
  }));
}

/** One Odoo release, reached one way: the suites run on each target of the run (simulated or real). */
export interface OdooTarget {
  /** e.g. `real Odoo 19.0 over JSON-2` */
  name: string;
  version: OdooVersion;
  kind: "sim" | "real";
  /** How the MCP server's service account reaches it. */
  over: "XML-RPC" | "JSON-2" | "the web session" | "XML-RPC (odoo-await)";
}

const ROUTES: [OdooVersion, OdooTarget["over"]][] = [
  ["17.0", "XML-RPC"],
  ["18.0", "XML-RPC"],
  ["19.0", "JSON-2"],
  ["19.0", "the web session"],
  ["19.0", "XML-RPC"],
  ["20.0", "JSON-2"],
  ["20.0", "XML-RPC"],
  // The other XML-RPC client than the default (builtin), so the tool suites run with both.
  ["17.0", "XML-RPC (odoo-await)"],
  ["19.0", "XML-RPC (odoo-await)"],
];

/**
 * The targets of this run: the simulators under `pnpm test`, the real Odoo servers (17.0 and 18.0 over
 * XML-RPC; 19.0 over JSON-2 with an API key, the web session with a password, and XML-RPC) under
 * `pnpm test:odoo`. `only` keeps the routes a suite needs, as `"19.0 over JSON-2"`.
 */
export function odooTargets(only?: string[]): OdooTarget[] {
  const real = realOdooServers();
  const kind: OdooTarget["kind"] = Object.keys(real).length > 0 ? "real" : "sim";
  return ROUTES.filter(([version]) => (kind === "sim" ? true : version in real))
    .filter(([, over]) => kind === "sim" || !over.includes("odoo-await"))
    .map(([version, over]) => ({
      name: `${kind === "real" ? "real " : ""}Odoo ${version} over ${over}`,
      version,
      kind,
      over,
    }))
    .filter((target) => !only || only.includes(`${target.version} over ${target.over}`));
}

/** The MCP server's Odoo settings for `target`: the admin as service account, with the secret its route needs. */
export function serviceAccountEnv(target: OdooTarget, odoo: OdooUnderTest): Record<string, string> {
  const { admin } = odoo.users;
  return {
    ODOO_URL: odoo.url,
    ODOO_DB: odoo.db,
    ODOO_USERNAME: admin.login,
    // From 19.0, `auto` takes JSON-2 with an API key and the web session with a password.
    ODOO_PASSWORD: target.over === "JSON-2" ? admin.apiKey : admin.password,
    // Before 19.0 `auto` takes XML-RPC; from 19.0 it has to be asked for.
    ...(target.over.startsWith("XML-RPC") && Number.parseInt(target.version, 10) >= 19
      ? { ODOO_PROTOCOL: "xmlrpc" }
      : {}),
    ...(target.over.includes("odoo-await") ? { ODOO_XMLRPC_CLIENT: "odoo-await" } : {}),
  };
}

/** The releases of this run, once each: every simulator under `pnpm test`, the real servers under `pnpm test:odoo`. */
export function odooReleases(): { name: string; version: OdooVersion; kind: OdooTarget["kind"] }[] {
  const real = Object.keys(realOdooServers()) as OdooVersion[];
  return real.length > 0
    ? real.map((version) => ({ name: `real Odoo ${version}`, version, kind: "real" }))
    : SIM_VERSIONS.map((version) => ({ name: `Odoo ${version}`, version, kind: "sim" }));
}

/** Whether this run is `pnpm test:odoo` (its suites then skip what only a simulator can show). */
export const realRun = () => Object.keys(realOdooServers()).length > 0;
