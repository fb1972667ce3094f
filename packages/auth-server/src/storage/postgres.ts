/**
 * PostgreSQL storage (node-postgres): durable and shared by every auth replica. The server creates and
 * migrates its schema itself (versioned, under an advisory lock so replicas do not race), sweeps expired
 * rows, consumes and claims atomically and finds a grant's payloads through an index.
 */

import type { AdapterPayload } from "oidc-provider";
import pg from "pg";
import type { IndexedStorage, StorageAdapter, StoredPayload } from "./contract.js";

const now = () => Math.floor(Date.now() / 1000);
/** Taken while migrating, so two replicas starting together migrate once. */
const MIGRATION_LOCK = 0x6f646f6f; // "odoo"

const MIGRATIONS = [
  `CREATE TABLE oidc_payloads (
     model text NOT NULL,
     id text NOT NULL,
     payload jsonb NOT NULL,
     grant_id text,
     uid text,
     user_code text,
     expires_at bigint,
     consumed_at bigint,
     PRIMARY KEY (model, id)
   );
   CREATE INDEX oidc_payloads_grant ON oidc_payloads (model, grant_id) WHERE grant_id IS NOT NULL;
   CREATE INDEX oidc_payloads_uid ON oidc_payloads (model, uid) WHERE uid IS NOT NULL;
   CREATE INDEX oidc_payloads_user_code ON oidc_payloads (model, user_code) WHERE user_code IS NOT NULL;
   CREATE INDEX oidc_payloads_expiry ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;
   CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);`,
  // Indexed lookups of a person's and a client's grants (/account, /admin), filled in for existing rows.
  `ALTER TABLE oidc_payloads ADD COLUMN account_id text, ADD COLUMN client_id text;
   UPDATE oidc_payloads SET account_id = payload->>'accountId', client_id = payload->>'clientId';
   CREATE INDEX oidc_payloads_account ON oidc_payloads (model, account_id) WHERE account_id IS NOT NULL;
   CREATE INDEX oidc_payloads_client ON oidc_payloads (model, client_id) WHERE client_id IS NOT NULL;`,
];

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS odoo_mcp_schema (version integer NOT NULL)");
    const { rows } = await client.query<{ version: number }>("SELECT max(version) AS version FROM odoo_mcp_schema");
    const current = rows[0]?.version ?? 0;
    for (const [index, migration] of MIGRATIONS.entries()) {
      if (index < current) continue;
      await client.query("BEGIN");
      await client.query(migration);
      await client.query("INSERT INTO odoo_mcp_schema (version) VALUES ($1)", [index + 1]);
      await client.query("COMMIT");
    }
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

type Row = { payload: AdapterPayload; consumed_at: string | null };
const toPayload = (row: Row | undefined): AdapterPayload | undefined =>
  row ? (row.consumed_at === null ? row.payload : { ...row.payload, consumed: Number(row.consumed_at) }) : undefined;

export async function openPostgresStorage(connectionString: string): Promise<IndexedStorage & { pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection (a database restart) must not crash the process; the pool reconnects.
  pool.on("error", () => undefined);
  await migrate(pool);
  const one = async (sql: string, params: unknown[]) => (await pool.query<Row>(sql, params)).rows[0];

  /** Unexpired payloads of a model meeting `condition` (whose parameters start at $3). */
  const listWhere = async (model: string, condition: string, params: unknown[]): Promise<StoredPayload[]> => {
    const { rows } = await pool.query<Row & { id: string }>(
      `SELECT id, payload, consumed_at FROM oidc_payloads
       WHERE model = $1 AND (expires_at IS NULL OR expires_at > $2) AND ${condition}`,
      [model, now(), ...params],
    );
    return rows.map((row) => ({ ...(toPayload(row) as AdapterPayload), id: row.id }));
  };

  const adapter = (model: string): StorageAdapter => ({
    async upsert(id, payload, expiresIn) {
      await pool.query(
        `INSERT INTO oidc_payloads (model, id, payload, grant_id, uid, user_code, expires_at, account_id, client_id, consumed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
           uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, expires_at = EXCLUDED.expires_at,
           account_id = EXCLUDED.account_id, client_id = EXCLUDED.client_id`,
        [
          model,
          id,
          payload,
          payload.grantId ?? null,
          payload.uid ?? null,
          payload.userCode ?? null,
          expiresIn ? now() + expiresIn : null,
          typeof payload.accountId === "string" ? payload.accountId : null,
          typeof payload.clientId === "string" ? payload.clientId : null,
        ],
      );
    },
    async find(id) {
      return toPayload(
        await one(
          "SELECT payload, consumed_at FROM oidc_payloads WHERE model = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > $3)",
          [model, id, now()],
        ),
      );
    },
    async findByUid(uid) {
      return toPayload(
        await one(
          "SELECT payload, consumed_at FROM oidc_payloads WHERE model = $1 AND uid = $2 AND (expires_at IS NULL OR expires_at > $3)",
          [model, uid, now()],
        ),
      );
    },
    async findByUserCode(userCode) {
      return toPayload(
        await one(
          "SELECT payload, consumed_at FROM oidc_payloads WHERE model = $1 AND user_code = $2 AND (expires_at IS NULL OR expires_at > $3)",
          [model, userCode, now()],
        ),
      );
    },
    async consume(id) {
      await pool.query(
        "UPDATE oidc_payloads SET consumed_at = COALESCE(consumed_at, $3) WHERE model = $1 AND id = $2",
        [model, id, now()],
      );
    },
    // The row lock makes a racing UPDATE wait, then re-check `consumed_at IS NULL`: one claim wins.
    async claim(id) {
      const at = now();
      const { rowCount } = await pool.query(
        `UPDATE oidc_payloads SET consumed_at = $3
         WHERE model = $1 AND id = $2 AND consumed_at IS NULL AND (expires_at IS NULL OR expires_at > $3)`,
        [model, id, at],
      );
      return rowCount === 1;
    },
    async destroy(id) {
      await pool.query("DELETE FROM oidc_payloads WHERE model = $1 AND id = $2", [model, id]);
    },
    async revokeByGrantId(grantId) {
      await pool.query("DELETE FROM oidc_payloads WHERE model = $1 AND grant_id = $2", [model, grantId]);
    },
  });

  return {
    kind: "postgres",
    pool,
    adapter,
    async getSetting(key) {
      return (await pool.query<{ value: string }>("SELECT value FROM settings WHERE key = $1", [key])).rows[0]?.value;
    },
    async setSetting(key, value) {
      await pool.query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [key, value],
      );
    },
    async setSettingIfAbsent(key, value) {
      await pool.query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [key, value]);
      return (await pool.query<{ value: string }>("SELECT value FROM settings WHERE key = $1", [key])).rows[0]
        ?.value as string;
    },
    async list(model) {
      return listWhere(model, "TRUE", []);
    },
    async grantsOfAccount(accountId) {
      return listWhere("Grant", "account_id = $3", [accountId]);
    },
    async grantsOfClient(clientId) {
      return listWhere("Grant", "client_id = $3", [clientId]);
    },
    async listByGrantId(model, grantId) {
      return listWhere(model, "grant_id = $3", [grantId]);
    },
    async sweep() {
      return (
        (await pool.query("DELETE FROM oidc_payloads WHERE expires_at IS NOT NULL AND expires_at <= $1", [now()]))
          .rowCount ?? 0
      );
    },
    async check() {
      await pool.query("SELECT 1");
    },
    async close() {
      await pool.end();
    },
  };
}
