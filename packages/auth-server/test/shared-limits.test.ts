import { type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { FormBrowser } from "@odoo-mcp/testkit/browser";
import { CHATGPT_REDIRECT, chatgptClient, client } from "@odoo-mcp/testkit/oauth";
import { type Service, startRedis } from "@odoo-mcp/testkit/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let redis: Service;
let replicas: AuthHarness[];
beforeAll(async () => {
  redis = await startRedis();
  const first = await startAuth({ env: { REDIS_URL: redis.url } });
  replicas = [first, await startAuth({ env: { REDIS_URL: redis.url }, sim: first.sim })];
}, 60_000);
afterAll(async () => {
  await replicas[1]?.close();
  await replicas[0]?.close();
  await redis?.stop();
});

async function loginPage(h: AuthHarness) {
  const config = await chatgptClient(h.url, await h.chatgptSecret());
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CHATGPT_REDIRECT,
    scope: "odoo:read",
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: "S256",
  });
  const browser = new FormBrowser();
  const page = new URL((await browser.request(url)).headers.get("location") as string, h.url);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await browser.request(page)).text())?.[1] as string;
  return (password: string) => browser.postForm(`${page.href}/login`, { csrf, login: "demo", password });
}

describe("limits shared through Redis", () => {
  it("counts failed sign-ins for a login across replicas", async () => {
    const [one, two] = [await loginPage(replicas[0] as AuthHarness), await loginPage(replicas[1] as AuthHarness)];
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await (i % 2 ? two : one)(`wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect((await one("again")).status).toBe(429);
    expect((await two("again")).status).toBe(429);
  });
});
