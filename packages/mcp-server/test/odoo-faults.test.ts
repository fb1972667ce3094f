import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startOdooSim } from "@odoo-mcp/odoo-sim";
import { startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { describe, expect, it } from "vitest";

describe("when Odoo fails", () => {
  it("gives a clear tool error while Odoo is down, keeps serving, and recovers when it returns", async () => {
    const stack = await startStack();
    try {
      const client = await stack.connect(await stack.token());
      const count = () => client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } });
      expect(structured(await count())).toMatchObject({ count: 12 });
      const port = stack.sim.port;
      await stack.sim.close();
      expect(toolError(await count())).toMatch(
        /^Odoo is not answering right now; try again in a moment: Odoo could not be reached/,
      );
      expect((await fetch(`${new URL(stack.mcpUrl).origin}/health`)).status).toBe(200);
      expect((await fetch(`${new URL(stack.mcpUrl).origin}/ready`)).status).toBe(503);
      // Odoo comes back on the same address: the next call works without any restart here.
      const revived = await startOdooSim({ port });
      try {
        expect(structured(await count())).toMatchObject({ count: 12 });
        expect((await fetch(`${new URL(stack.mcpUrl).origin}/ready`)).status).toBe(200);
      } finally {
        await revived.close();
      }
    } finally {
      await stack.close().catch(() => undefined);
    }
  });

  it("gives up on an Odoo that hangs after ODOO_TIMEOUT, with a tool error", async () => {
    const hanging = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", () => resolve()));
    const hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const stack = await startStack({ mcpEnv: { ODOO_URL: hangingUrl, ODOO_TIMEOUT: "1s" } });
    try {
      const client = await stack.connect(await stack.token());
      const started = Date.now();
      const message = toolError(
        await client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } }),
      );
      expect(message).toContain("Odoo did not answer within 1 s");
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await stack.close();
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it("turns garbage from Odoo (HTML, broken XML, 502) into clear tool errors and keeps serving", async () => {
    let answer: (response: import("node:http").ServerResponse) => void = () => undefined;
    const garbage = createServer((_request, response) => answer(response));
    await new Promise<void>((resolve) => garbage.listen(0, "127.0.0.1", () => resolve()));
    const stack = await startStack({
      mcpEnv: { ODOO_URL: `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`, ODOO_TIMEOUT: "2s" },
    });
    try {
      const client = await stack.connect(await stack.token());
      const count = () => client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } });
      for (const reply of [
        (response: import("node:http").ServerResponse) =>
          response.writeHead(200, { "content-type": "text/html" }).end("<html><body>Maintenance</body></html>"),
        (response: import("node:http").ServerResponse) =>
          response
            .writeHead(200, { "content-type": "text/xml" })
            .end("<?xml version='1.0'?><methodResponse><params><param><value><int>"),
        (response: import("node:http").ServerResponse) => response.writeHead(502).end(),
        (response: import("node:http").ServerResponse) => response.destroy(),
      ]) {
        answer = reply;
        expect(toolError(await count())).toMatch(
          /^(Odoo is not answering right now|Sign-in to Odoo failed|Odoo rejected the request)/,
        );
      }
      expect((await fetch(`${new URL(stack.mcpUrl).origin}/health`)).status).toBe(200);
    } finally {
      await stack.close();
      garbage.closeAllConnections();
      garbage.close();
    }
  });

  it("reports wrong service-account credentials as an access problem, not a crash", async () => {
    const stack = await startStack({ mcpEnv: { ODOO_PASSWORD: "wrong" } });
    try {
      const client = await stack.connect(await stack.token());
      const message = toolError(
        await client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } }),
      );
      expect(message).toBe(
        "Sign-in to Odoo failed: the service account's credentials were refused; check ODOO_USERNAME and ODOO_PASSWORD.",
      );
    } finally {
      await stack.close();
    }
  });
});
