/** For tests and the one-command launcher: build the auth server in-process. */
export { type AuthApp, type AuthAppOptions, createAuthApp } from "./app.js";
export { AUTH_ENV_VARIABLES, type AuthConfig, loadAuthConfig } from "./config.js";
export { CHATGPT_CLIENT_ID, isChatgptSecret, rotateChatgptSecret } from "./provider/clients.js";
export type { Storage, StorageAdapter } from "./storage/contract.js";
export { openStorage } from "./storage/open.js";
export { openSqliteStorage } from "./storage/sqlite.js";
