/** ChatGPT's connector against a running system: code + PKCE through the sign-in and consent forms. */
import type { Decision } from "../../packages/auth-server/test/browserless.js";
import { chatgptClient, codeFlow, exchange } from "../../packages/auth-server/test/oauth.js";
import type { TestSystem } from "./system.js";

export async function connectorTokens(system: Pick<TestSystem, "issuer" | "chatgpt">, decision: Decision = {}) {
  const config = await chatgptClient(system.issuer, system.chatgpt.clientSecret);
  // No resource parameter: the server binds the token to its MCP URL, as it does for ChatGPT.
  const tokens = await exchange(config, await codeFlow(config, { ...decision, resource: null }));
  return { config, tokens };
}
