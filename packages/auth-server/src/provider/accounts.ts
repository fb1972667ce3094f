import type { OdooIdentity } from "@odoo-mcp/odoo-client";
import type { Account, AdapterPayload, FindAccount } from "oidc-provider";
import type { Storage } from "../storage/contract.js";

/** A person as the auth server remembers them between sign-ins: their Odoo identity, no secret. */
export interface StoredAccount extends OdooIdentity {
  sub: string;
}

/** The subject is stable per Odoo database and user id. */
export const subjectOf = (identity: Pick<OdooIdentity, "db" | "uid">) => `${identity.db}:${identity.uid}`;

export function createAccountStore(storage: Storage) {
  const adapter = storage.adapter("Account");
  return {
    async save(identity: OdooIdentity): Promise<StoredAccount> {
      const account = { ...identity, sub: subjectOf(identity) };
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
