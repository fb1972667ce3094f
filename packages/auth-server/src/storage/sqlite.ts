import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { AdapterPayload } from "oidc-provider";
import type { IndexedStorage, StorageAdapter, StoredPayload } from "./contract.js";

const now = () => Math.floor(Date.now() / 1000);

/** Versioned schema; `PRAGMA user_version` records how far a file has been migrated. */
const MIGRATIONS = [
  `CREATE TABLE oidc_payloads (
     model TEXT NOT NULL,
     id TEXT NOT NULL,
     payload TEXT NOT NULL,
     grant_id TEXT,
     uid TEXT,
     user_code TEXT,
     expires_at INTEGER,
     consumed_at INTEGER,
     PRIMARY KEY (model, id)
   ) WITHOUT ROWID;
   CREATE INDEX oidc_payloads_grant ON oidc_payloads (model, grant_id) WHERE grant_id IS NOT NULL;
   CREATE INDEX oidc_payloads_uid ON oidc_payloads (model, uid) WHERE uid IS NOT NULL;
   CREATE INDEX oidc_payloads_user_code ON oidc_payloads (model, user_code) WHERE user_code IS NOT NULL;
   CREATE INDEX oidc_payloads_expiry ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;
   CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
  // Indexed lookups of a person's and a client's grants (/account, /admin), filled in for existing rows.
  `ALTER TABLE oidc_payloads ADD COLUMN account_id TEXT;
   ALTER TABLE oidc_payloads ADD COLUMN client_id TEXT;
   UPDATE oidc_payloads SET account_id = json_extract(payload, '$.accountId'), client_id = json_extract(payload, '$.clientId');
   CREATE INDEX oidc_payloads_account ON oidc_payloads (model, account_id) WHERE account_id IS NOT NULL;
   CREATE INDEX oidc_payloads_client ON oidc_payloads (model, client_id) WHERE client_id IS NOT NULL;`,
];

interface Row {
  payload: string;
  consumed_at: number | null;
}

function toPayload(row: Row | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed_at === null ? payload : { ...payload, consumed: row.consumed_at };
}

const listed = (rows: unknown[]): StoredPayload[] =>
  (rows as (Row & { id: string })[]).map((row) => ({ ...(toPayload(row) as AdapterPayload), id: row.id }));

/** SQLite storage (better-sqlite3): one file, WAL journal, safe for one process at a time. */
export function openSqliteStorage(path: string): IndexedStorage {
  if (path !== ":memory:") {
    // It holds hashes of client secrets and the private signing keys: readable by the owner only.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, "a", 0o600));
  }
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  const version = db.pragma("user_version", { simple: true }) as number;
  for (const [index, migration] of MIGRATIONS.entries()) {
    if (index < version) continue;
    db.transaction(() => {
      db.exec(migration);
      db.pragma(`user_version = ${index + 1}`);
    })();
  }

  const statements = {
    upsert: db.prepare(
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, uid, user_code, account_id, client_id, expires_at, consumed_at)
       VALUES (@model, @id, @payload, @grant_id, @uid, @user_code, @account_id, @client_id, @expires_at, NULL)
       ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
         uid = excluded.uid, user_code = excluded.user_code, account_id = excluded.account_id,
         client_id = excluded.client_id, expires_at = excluded.expires_at`,
    ),
    find: db.prepare(
      "SELECT payload, consumed_at FROM oidc_payloads WHERE model = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    findByUid: db.prepare(
      "SELECT payload, consumed_at FROM oidc_payloads WHERE model = ? AND uid = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    findByUserCode: db.prepare(
      "SELECT payload, consumed_at FROM oidc_payloads WHERE model = ? AND user_code = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    consume: db.prepare("UPDATE oidc_payloads SET consumed_at = COALESCE(consumed_at, ?) WHERE model = ? AND id = ?"),
    // One statement: SQLite runs it alone, so of racing claims exactly one changes the row.
    claim: db.prepare(
      "UPDATE oidc_payloads SET consumed_at = ? WHERE model = ? AND id = ? AND consumed_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
    ),
    destroy: db.prepare("DELETE FROM oidc_payloads WHERE model = ? AND id = ?"),
    revokeByGrantId: db.prepare("DELETE FROM oidc_payloads WHERE model = ? AND grant_id = ?"),
    list: db.prepare(
      "SELECT id, payload, consumed_at FROM oidc_payloads WHERE model = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    listByAccount: db.prepare(
      "SELECT id, payload, consumed_at FROM oidc_payloads WHERE model = ? AND account_id = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    listByClient: db.prepare(
      "SELECT id, payload, consumed_at FROM oidc_payloads WHERE model = ? AND client_id = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    listByGrant: db.prepare(
      "SELECT id, payload, consumed_at FROM oidc_payloads WHERE model = ? AND grant_id = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    sweep: db.prepare("DELETE FROM oidc_payloads WHERE expires_at IS NOT NULL AND expires_at <= ?"),
    getSetting: db.prepare("SELECT value FROM settings WHERE key = ?"),
    setSetting: db.prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ),
    insertSetting: db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"),
  };

  const adapters = new Map<string, StorageAdapter>();
  const adapter = (model: string): StorageAdapter => {
    let existing = adapters.get(model);
    if (existing) return existing;
    existing = {
      async upsert(id, payload, expiresIn) {
        statements.upsert.run({
          model,
          id,
          payload: JSON.stringify(payload),
          grant_id: payload.grantId ?? null,
          uid: payload.uid ?? null,
          user_code: payload.userCode ?? null,
          account_id: typeof payload.accountId === "string" ? payload.accountId : null,
          client_id: typeof payload.clientId === "string" ? payload.clientId : null,
          expires_at: expiresIn ? now() + expiresIn : null,
        });
      },
      async find(id) {
        return toPayload(statements.find.get(model, id, now()) as Row | undefined);
      },
      async findByUid(uid) {
        return toPayload(statements.findByUid.get(model, uid, now()) as Row | undefined);
      },
      async findByUserCode(userCode) {
        return toPayload(statements.findByUserCode.get(model, userCode, now()) as Row | undefined);
      },
      async consume(id) {
        statements.consume.run(now(), model, id);
      },
      async claim(id) {
        const at = now();
        return statements.claim.run(at, model, id, at).changes === 1;
      },
      async destroy(id) {
        statements.destroy.run(model, id);
      },
      async revokeByGrantId(grantId) {
        statements.revokeByGrantId.run(model, grantId);
      },
    };
    adapters.set(model, existing);
    return existing;
  };

  return {
    kind: "sqlite",
    adapter,
    async getSetting(key) {
      return (statements.getSetting.get(key) as { value: string } | undefined)?.value;
    },
    async setSetting(key, value) {
      statements.setSetting.run(key, value);
    },
    async setSettingIfAbsent(key, value) {
      statements.insertSetting.run(key, value);
      return (statements.getSetting.get(key) as { value: string }).value;
    },
    async list(model) {
      return listed(statements.list.all(model, now()));
    },
    async grantsOfAccount(accountId) {
      return listed(statements.listByAccount.all("Grant", accountId, now()));
    },
    async grantsOfClient(clientId) {
      return listed(statements.listByClient.all("Grant", clientId, now()));
    },
    async listByGrantId(model, grantId) {
      return listed(statements.listByGrant.all(model, grantId, now()));
    },
    async sweep() {
      return statements.sweep.run(now()).changes;
    },
    async check() {
      // Taking the write lock for an instant proves the file is writable and not held by another process.
      db.exec("BEGIN IMMEDIATE");
      db.exec("ROLLBACK");
    },
    async close() {
      db.close();
    },
  };
}
