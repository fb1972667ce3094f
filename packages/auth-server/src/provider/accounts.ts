import type { OdooIdentity } from "@odoo-mcp/odoo-client";
import type { Account, AdapterPayload, FindAccount } from "oidc-provider";
import type { Storage } from "../storage/contract.js";

/**
 * A person as the auth server remembers them between sign-ins: their Odoo identity, no secret.
 * `canWrite`: whether they may be given `odoo:write` here: Odoo lets them create records, and this
 * server gives writing at all.
 */
export interface StoredAccount extends OdooIdentity {
  sub: string;
}

/** The subject is stable per Odoo database and user id. */
export const subjectOf = (identity: Pick<OdooIdentity, "db" | "uid">) => `${identity.db}:${identity.uid}`;

/**
 * `writesOffered`: whether this server gives `odoo:write` to anyone: in user mode (the person's own
 * credentials write), or in service mode with ODOO_SERVICE_WRITES. Either way only to people Odoo lets
 * create records, as their sign-in found.
 */
export function createAccountStore(storage: Storage, writesOffered: boolean) {
  const adapter = storage.adapter("Account");
  return {
    async save(identity: OdooIdentity): Promise<StoredAccount> {
      const account = { ...identity, canWrite: writesOffered && identity.canWrite, sub: subjectOf(identity) };
      await adapter.upsert(account.sub, account as unknown as AdapterPayload, 0);
      return account;
    },
    async find(sub: string): Promise<StoredAccount | undefined> {
      return (await adapter.find(sub)) as unknown as StoredAccount | undefined;
    },
  };
}

export type AccountStore = ReturnType<typeof createAccountStore>;

/** oidc-provider's findAccount: the claims an ID token or userinfo may carry. */
export function findAccount(accounts: AccountStore): FindAccount {
  return async (_ctx, sub): Promise<Account | undefined> => {
    const account = await accounts.find(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      claims: async () => ({
        sub,
        name: account.name,
        preferred_username: account.login,
        ...(account.email ? { email: account.email } : {}),
      }),
    };
  };
}
