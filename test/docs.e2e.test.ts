import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { AUTH_ENV_VARIABLES } from "@odoo-mcp/auth-server";
import { MCP_ENV_VARIABLES } from "@odoo-mcp/mcp-server";
import {
  createDemoDatabase,
  type OdooVersion,
  ORM_METHOD_NAMES,
  pythonSignature,
  SIM_ENV_VARIABLES,
  SIM_VERSIONS,
  signatureOf,
  simRelease,
} from "@odoo-mcp/odoo-sim";
import { FormBrowser } from "@odoo-mcp/testkit/browser";
import { callTool, mcpRequest, structured } from "@odoo-mcp/testkit/mcp";
import { freePort } from "@odoo-mcp/testkit/services";
import { connectorTokens, startTestSystem, type TestSystem } from "@odoo-mcp/testkit/system";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentedCommands } from "./doc-commands.js";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const chatgptGuide = readFileSync(new URL("../docs/chatgpt.md", import.meta.url), "utf8");
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const configuration = readFileSync(new URL("../docs/configuration.md", import.meta.url), "utf8");
const LAUNCHER_VARIABLES = ["LAUNCH_HOST", "ODOO_SIM_PORT", "CHROMIUM_PATH"];

describe("the README", () => {
  it("starts with the two commands a newcomer needs", () => {
    const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toContain("pnpm install && pnpm start");
    expect(firstBlock).toContain("pnpm test");
  });

  it("stays short: set-up, flow and links first, the references in docs/", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(150);
    for (const doc of ["configuration", "servers", "metrics", "odoo-simulator", "odoo-versions"])
      expect(readme).toContain(`(docs/${doc}.md`);
  });

  it("links only to files that exist", () => {
    const targets = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((match) => match[1] as string);
    const missing = targets.filter(
      (target) => !/^https?:/.test(target) && !existsSync(new URL(`../${target}`, import.meta.url)),
    );
    expect(missing).toEqual([]);
  });

  it("states Node.js 22 as the requirement, as package.json does", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe(">=22");
    expect(readme).toContain("Node.js 22 LTS or later");
  });
});

describe("docs/configuration.md", () => {
  it("lists every environment variable the programs read in its configuration table", () => {
    const missing = [
      ...new Set([...AUTH_ENV_VARIABLES, ...MCP_ENV_VARIABLES, ...SIM_ENV_VARIABLES, ...LAUNCHER_VARIABLES]),
    ].filter((name) => !configuration.includes(`| \`${name}\``) && !configuration.includes(`, \`${name}\` |`));
    expect(missing).toEqual([]);
  });
});

describe("docs/odoo-versions.md", () => {
  const doc = readFileSync(new URL("../docs/odoo-versions.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("## Method signatures"), doc.indexOf("Results and shapes worth knowing"));
  const rows = section
    .split("\n")
    .filter((line) => /^\| `[\w.]+` \|/.test(line))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

  /** A cell as the table writes it, from the simulator's signature of that release. */
  const cellOf = (version: OdooVersion, qualified: string) => {
    const db = createDemoDatabase("demo", simRelease(version));
    const [modelName, method] = qualified.startsWith("res.users.")
      ? ["res.users", qualified.slice("res.users.".length)]
      : ["res.partner", qualified];
    const signature = signatureOf({ db }, db.requireModel(modelName), method);
    if (!signature) return "—";
    return [
      `\`${pythonSignature(method, signature)}\``,
      ...(signature.model ? [] : ["records"]),
      ...(signature.deprecated ? ["deprecated"] : []),
    ].join(" ");
  };

  it("states every signature the simulator binds calls against, per release", () => {
    expect(rows.length).toBeGreaterThanOrEqual(16);
    for (const [name, ...cells] of rows) {
      const method = (name as string).replaceAll("`", "");
      SIM_VERSIONS.forEach((version, index) => {
        expect({ method, version, cell: cells[index] }).toEqual({ method, version, cell: cellOf(version, method) });
      });
    }
  });

  it("covers every ORM method the simulator exposes", () => {
    const documented = new Set(rows.map(([name]) => (name as string).replaceAll("`", "")));
    for (const version of SIM_VERSIONS) {
      const db = createDemoDatabase("demo", simRelease(version));
      const model = db.requireModel("res.partner");
      for (const method of ORM_METHOD_NAMES) {
        if (signatureOf({ db }, model, method)) expect(documented).toContain(method);
      }
    }
  });
});

/**
 * Every command the README and docs/ tell a person to run: run here, against the whole system on loopback
 * (the docs' example hosts and `pnpm start`'s default URLs replaced by the running ones), or listed with
 * why it cannot run here. A new command in the docs fails the first test until it is one or the other.
 */
describe("the commands in README.md and docs/", () => {
  /** Commands another test runs, and those that cannot run here, each with where or why. */
  const NOT_RUN_HERE: [RegExp, string][] = [
    [
      /^pnpm install && pnpm start\npnpm test$/,
      "pnpm install changes node_modules under the running suite (.ci/run runs it on a clean clone); pnpm start: test/launcher.e2e.test.ts; pnpm test is this suite",
    ],
    [/^pnpm start$/, "test/launcher.e2e.test.ts runs `pnpm start` itself (Ctrl-C, a bad variable)"],
    [/^pnpm (test|typecheck|lint|test:unit)$/, "this suite, or a part of it"],
    [/^pnpm format$/, "rewrites the sources; `pnpm lint`, part of `pnpm test`, checks the same"],
    [
      /^pnpm (start:real-odoo|real-odoo)( 19\.0)?$|^pnpm test:odoo$/,
      "builds real Odoo from its source tarballs, minutes per release; CI runs `pnpm test:odoo` (.ci/run)",
    ],
    [/^pnpm bench$/, "minutes of load on every core; its figures are in bench/RESULTS.md"],
    [
      /^npm i -g pnpm@12\.4\.2$|^apt-get install( chromium)?$/,
      "installs system-wide; .ci/run does it on a clean machine",
    ],
    [
      /^cloudflared tunnel/,
      "needs cloudflared and the internet; the same variables on loopback are test/launcher.e2e.test.ts's",
    ],
    [/^docker (build|compose) /, "pulls the base images from Docker Hub; this machine has no internet"],
    [
      /^npx @modelcontextprotocol\/inspector@2\.12\.0$/,
      "opens the Inspector's web page for a person; its CLI is run here",
    ],
  ];
  /** Commands this file runs, by a pattern of their text. */
  const RUN_HERE: RegExp[] = [
    /^curl -H "Authorization: Bearer \$ADMIN_TOKEN" https:\/\/auth\.example\.com\/oauth\/credentials$/,
    /^curl https:\/\/mcp\.example\.com\/mcp -H "Authorization: Bearer \$TOKEN"/,
    /^curl https:\/\/mcp\.example\.com\/health$/,
    /^npx @modelcontextprotocol\/inspector@2\.12\.0 --cli /,
    /^AUTH=http:\/\/localhost:4000 MCP=/,
    /^CODE=paste-the-code-here\n/,
    /^openssl rand -base64 32$/,
    /^node -e "const \{generateKeyPairSync,randomUUID\}/,
    /^sqlite3 auth\.sqlite "\.backup/,
    /^pnpm --filter @odoo-mcp\/(auth-server|mcp-server|odoo-sim) start$/,
    /^pnpm build$/,
    /^node packages\/mcp-server\/dist\/main\.mjs$/,
  ];
  const commands = documentedCommands();
  const documented = (pattern: RegExp) => {
    const found = commands.filter((command) => pattern.test(command.text));
    if (found.length === 0) throw new Error(`no documented command matches ${pattern}`);
    return found.map((command) => command.text);
  };

  it("are each run here or listed with why not", () => {
    const unaccounted = commands.filter(
      (command) =>
        !RUN_HERE.some((pattern) => pattern.test(command.text)) &&
        !NOT_RUN_HERE.some(([pattern]) => pattern.test(command.text)),
    );
    expect(unaccounted).toEqual([]);
    // Every entry still names a documented command: nothing stale.
    for (const pattern of [...RUN_HERE, ...NOT_RUN_HERE.map(([pattern]) => pattern)]) documented(pattern);
  });

  let system: TestSystem;
  let secrets: { adminToken: string; encryptionKey: string; jwks: string };
  const sh = (command: string, env: Record<string, string> = {}, cwd = root) =>
    run("bash", ["-c", command], { cwd, env: { ...process.env, ...env }, timeout: 120_000 });
  /** The docs' hosts and `pnpm start`'s default URLs, as the running system's. */
  const local = (command: string) =>
    command
      .replaceAll("https://auth.example.com", system.issuer)
      .replaceAll("http://localhost:4000", system.issuer)
      .replaceAll("https://mcp.example.com/mcp", system.mcpUrl)
      .replaceAll("http://localhost:3000/mcp", system.mcpUrl)
      .replaceAll("https://mcp.example.com", new URL(system.mcpUrl).origin);

  beforeAll(async () => {
    // deploy.md's commands make the secrets this system runs with: they must be ones the servers take.
    const [adminToken, encryptionKey, jwks] = await Promise.all([
      sh(documented(/^openssl rand -base64 32$/)[0] as string),
      ...documented(/^node -e "const \{generateKeyPairSync,randomUUID\}/).map((command) => sh(command)),
    ]).then((outputs) => outputs.map(({ stdout }) => stdout.trim()) as [string, string, string]);
    secrets = { adminToken, encryptionKey, jwks };
    system = await startTestSystem({ ADMIN_TOKEN: adminToken, MCP_ENCRYPTION_KEY: encryptionKey, AUTH_JWKS: jwks });
  }, 120_000);
  afterAll(() => system?.close());

  it("deploy.md's secrets are ones the servers take (the whole flow runs with them)", async () => {
    expect(secrets.adminToken).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(JSON.parse(secrets.encryptionKey)).toMatchObject({ kty: "EC", crv: "P-256", d: expect.any(String) });
    expect(JSON.parse(secrets.jwks).keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    const { tokens } = await connectorTokens(system);
    const call = await callTool(system.mcpUrl, tokens.access_token, "odoo_count_records", { model: "res.partner" });
    expect(structured(((await call.json()) as { result: unknown }).result)).toMatchObject({
      count: expect.any(Number),
    });
  });

  it("chatgpt.md's credentials request answers what the guide shows (English and Spanish)", async () => {
    const shown = JSON.parse(/```json\n([\s\S]*?)```/.exec(chatgptGuide)?.[1] as string) as Record<string, unknown>;
    for (const command of documented(/^curl -H "Authorization: Bearer \$ADMIN_TOKEN"/)) {
      const answer = JSON.parse((await sh(local(command), { ADMIN_TOKEN: secrets.adminToken })).stdout);
      expect(Object.keys(answer).sort()).toEqual(Object.keys(shown).sort());
      expect(answer).toMatchObject({
        client_id: "chatgpt-odoo-mcp",
        authorization_url: `${system.issuer}/oauth/authorize`,
        token_url: `${system.issuer}/oauth/token`,
        scopes: shown.scopes,
        mcp_url: system.mcpUrl,
        note: shown.note,
      });
    }
  });

  it("clients.md's token by hand works, and with it chatgpt.md's curl and the Inspector CLI", async () => {
    const [first] = documented(/^AUTH=http:\/\/localhost:4000 MCP=/);
    const [second] = documented(/^CODE=paste-the-code-here\n/);
    // The first block, then the variables it set, to carry into the second as the same shell would.
    const names = [...(first as string).matchAll(/(?:^|\s)([A-Z_]+)=/g)].map((match) => match[1] as string);
    const { stdout } = await sh(
      `${local(first as string)}\nfor name in ${names.join(" ")}; do printf '%s=%q\\n' "$name" "\${!name}"; done`,
    );
    const [authorizeUrl, ...assignments] = stdout.trim().split("\n");
    const redirect = /REDIRECT=(\S+)/.exec(stdout)?.[1] as string;
    // The person's part: the browser signs in and allows, then fails to open the loopback address.
    const { callback } = await new FormBrowser().authorize(new URL(authorizeUrl as string), redirect);
    const code = callback.searchParams.get("code") as string;
    const tokenOut = await sh(
      `${assignments.join("\n")}\n${(second as string).replace("CODE=paste-the-code-here", `CODE=${code}`)}\nprintf %s "$TOKEN"`,
    );
    const token = tokenOut.stdout.trim();
    expect(token.length).toBeGreaterThan(20);

    for (const command of documented(/^curl https:\/\/mcp\.example\.com\/mcp -H/)) {
      const listed = JSON.parse((await sh(local(command), { TOKEN: token })).stdout);
      expect(listed.result.tools.map((tool: { name: string }) => tool.name)).toContain("odoo_search_read_records");
    }

    // The Inspector CLI as documented, its own launcher in place of npx's download (it needs Node 22.19).
    const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
    if (major > 22 || (major === 22 && minor >= 19)) {
      const inspector = join(packageDir("@modelcontextprotocol/inspector"), "clients", "launcher", "build", "index.js");
      for (const command of documented(/^npx @modelcontextprotocol\/inspector@2\.12\.0 --cli /)) {
        const answer = JSON.parse(
          (
            await sh(local(command).replace("npx @modelcontextprotocol/inspector@2.12.0", '"$NODE" "$INSPECTOR"'), {
              TOKEN: token,
              NODE: process.execPath,
              INSPECTOR: inspector,
            })
          ).stdout,
        );
        expect(answer.result.tools.map((tool: { name: string }) => tool.name)).toContain("odoo_count_records");
      }
    }
  }, 180_000);

  it("chatgpt.md names exactly the tools that take allowed_company_ids (English and Spanish)", async () => {
    const { tokens } = await connectorTokens(system);
    const listed = await mcpRequest(system.mcpUrl, tokens.access_token, "tools/list");
    const { tools } = ((await listed.json()) as { result: { tools: { name: string; inputSchema: unknown }[] } }).result;
    const withContext = tools
      .filter((tool) => "context" in ((tool.inputSchema as { properties?: object }).properties ?? {}))
      .map((tool) => tool.name)
      .sort();
    for (const opening of ["If you work in several Odoo companies", "Si trabajas en varias empresas de Odoo"]) {
      const paragraph = chatgptGuide.slice(chatgptGuide.indexOf(opening)).split("\n\n")[0] as string;
      const named = [...paragraph.matchAll(/`(odoo_\w+)`/g)].map((match) => match[1]).sort();
      expect({ opening, named }).toEqual({ opening, named: withContext });
    }
  });

  it("chatgpt.md's health check answers", async () => {
    for (const command of documented(/^curl https:\/\/mcp\.example\.com\/health$/)) {
      expect(JSON.parse((await sh(`${local(command)} --fail`)).stdout)).toMatchObject({ status: "ok" });
    }
  });

  it("deploy.md's SQLite backup makes a copy that holds the store", async () => {
    const [command] = documented(/^sqlite3 auth\.sqlite "\.backup/);
    const dir = dirname(system.sqlitePath);
    await sh(command as string, {}, dir);
    const backup = readdirSync(dir).find((name) => /^auth-\d{4}-\d{2}-\d{2}\.sqlite$/.test(name)) as string;
    const tables = await sh(`sqlite3 ${backup} "select count(*) from sqlite_master where type = 'table'"`, {}, dir);
    expect(Number(tables.stdout.trim())).toBeGreaterThan(0);
  });

  /** Starts a documented long-running command in its own process group; stops the whole group after `check`. */
  async function serving(command: string, env: Record<string, string>, url: string) {
    const child = spawn("bash", ["-c", command], { cwd: root, env: { ...process.env, ...env }, detached: true });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    try {
      for (let attempt = 0; ; attempt++) {
        const answer = await fetch(url).catch(() => undefined);
        if (answer?.ok) return { status: answer.status, output };
        if (child.exitCode !== null || attempt > 600) throw new Error(`${command} did not serve ${url}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      process.kill(-(child.pid as number), "SIGKILL");
    }
  }

  it("the servers start on their own as README.md and servers.md say", async () => {
    const [authPort, mcpPort, simPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-docs-"));
    const shared = {
      INIT_CWD: dir,
      MCP_CLIENT_ID: "odoo-mcp-resource-server",
      MCP_CLIENT_SECRET: secrets.adminToken,
      MCP_ENCRYPTION_KEY: secrets.encryptionKey,
      ODOO_URL: `http://127.0.0.1:${simPort}`,
    };
    const starts = {
      "odoo-sim": [
        { ODOO_SIM_PORT: String(simPort), ODOO_SIM_VERSION: "19.0" },
        `http://127.0.0.1:${simPort}/web/version`,
      ],
      "auth-server": [{ AUTH_PORT: String(authPort), AUTH_HOST: "127.0.0.1" }, `http://127.0.0.1:${authPort}/health`],
      "mcp-server": [{ MCP_PORT: String(mcpPort), MCP_HOST: "127.0.0.1" }, `http://127.0.0.1:${mcpPort}/health`],
    } as const;
    for (const [name, [env, url]] of Object.entries(starts)) {
      const [command] = documented(new RegExp(`^pnpm --filter @odoo-mcp/${name} start$`));
      expect((await serving(command as string, { ...shared, ...env }, url)).status).toBe(200);
    }
  }, 180_000);

  it("README.md's build makes the bundle production runs on plain node", async () => {
    const [build] = documented(/^pnpm build$/);
    await sh(build as string);
    const [command] = documented(/^node packages\/mcp-server\/dist\/main\.mjs$/);
    const port = await freePort();
    const answer = await serving(
      command as string,
      {
        MCP_PORT: String(port),
        MCP_HOST: "127.0.0.1",
        MCP_CLIENT_ID: "odoo-mcp-resource-server",
        MCP_CLIENT_SECRET: secrets.adminToken,
        MCP_ENCRYPTION_KEY: secrets.encryptionKey,
        AUTH_ISSUER: system.issuer,
      },
      `http://127.0.0.1:${port}/health`,
    );
    expect(answer.status).toBe(200);
  }, 300_000);
});
