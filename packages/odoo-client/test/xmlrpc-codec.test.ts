/**
 * The built-in XML-RPC client against the xmlrpc package (odoo-await's codec): the same bytes out, the
 * same values in, and, against the simulator, the same results and errors for the same calls.
 */
import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createOdooClient } from "../src/connect.js";
import type { XmlRpcClientSetting } from "../src/transports/xmlrpc.js";
import { decodeMethodResponse, encodeMethodCall } from "../src/transports/xmlrpc-codec.js";
import { useSims } from "./sims.js";

const require = createRequire(import.meta.url);
const { serializeMethodCall, serializeMethodResponse, serializeFault } = require("xmlrpc/lib/serializer.js") as {
  serializeMethodCall(method: string, params: unknown[]): string;
  serializeMethodResponse(value: unknown): string;
  serializeFault(fault: unknown): string;
};
const Deserializer = require("xmlrpc/lib/deserializer.js") as new () => {
  deserializeMethodResponse(stream: PassThrough, callback: (error: unknown, value?: unknown) => void): void;
};

/** What the xmlrpc package makes of an answer: its value, or its error. */
function viaXmlrpc(xml: string): Promise<{ value?: unknown; error?: unknown }> {
  return new Promise((resolve) => {
    const stream = new PassThrough();
    new Deserializer().deserializeMethodResponse(stream, (error, value) =>
      resolve(error ? { error: errorShape(error) } : { value }),
    );
    stream.end(xml);
  });
}

function viaBuiltin(xml: string): { value?: unknown; error?: unknown } {
  try {
    // As it comes off the wire: UTF-8 (a lone surrogate becomes U+FFFD).
    return { value: decodeMethodResponse(Buffer.from(xml).toString("utf8")) };
  } catch (error) {
    return { error: errorShape(error) };
  }
}

/** An error as odoo-await's callers see it (xmlrpc's Error, or the codec's XmlRpcFault). */
const errorShape = (error: unknown) => {
  const { message, code, faultCode, faultString } = error as Record<string, unknown>;
  return { message, code, faultCode, faultString };
};

const VALUES: unknown[] = [
  "",
  "plain",
  "a & b < c > d",
  "]]> inside",
  "x]]>y & z",
  "carriage\r\nreturn",
  "tab\tand\nnewline",
  "  spaces around  ",
  "unicode: é ñ 漢字 😀 \u2028",
  "lone surrogate \ud800",
  "&amp; &lt; &#13; literally",
  0,
  -0,
  1,
  -42,
  2 ** 31,
  2 ** 53 - 1,
  -(2 ** 40),
  1e21,
  0.5,
  -3.25,
  1 / 3,
  899.0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  undefined,
  new Date(Date.UTC(2024, 1, 29, 13, 5, 9)),
  Buffer.from([0, 1, 2, 250, 255]),
  Buffer.alloc(0),
  [],
  {},
  [1, "two", [3, [4, []]], { five: 5 }],
  { "": 1, "a&b": "<x>", "key\r": null, nested: { list: [false, 0.25, ""], empty: {} }, u: undefined },
  [["id", "in", [1, 2, 3]], "|", ["name", "ilike", "Azure & Co"]],
];

describe("the built-in XML-RPC codec", () => {
  it("writes a call byte for byte as the xmlrpc package does", () => {
    for (const value of VALUES) {
      expect(encodeMethodCall("execute_kw", ["demo", 2, "admin", "res.partner", "write", [value], {}])).toBe(
        serializeMethodCall("execute_kw", ["demo", 2, "admin", "res.partner", "write", [value], {}]),
      );
    }
    expect(encodeMethodCall("version", [])).toBe(serializeMethodCall("version", []));
    expect(encodeMethodCall("m&<>", [VALUES])).toBe(serializeMethodCall("m&<>", [VALUES]));
  });

  it("refuses, as the xmlrpc package does, the control characters XML 1.0 cannot carry", () => {
    for (const text of ["nul\u0000", "bell\u0007", "esc\u001b in & text", "\ufffe"]) {
      expect(() => encodeMethodCall("m", [text])).toThrow(
        (() => {
          try {
            serializeMethodCall("m", [text]);
          } catch (error) {
            return (error as Error).message;
          }
          return "no error";
        })(),
      );
    }
  });

  it("reads every answer the xmlrpc package writes as the xmlrpc package reads it", async () => {
    for (const value of [...VALUES, VALUES]) {
      const xml = serializeMethodResponse(value);
      expect(viaBuiltin(xml)).toStrictEqual(await viaXmlrpc(xml));
    }
  });

  it("reads Python's marshaller (Odoo) as the xmlrpc package does: untyped values, i4, i8, nil, faults", async () => {
    const answers = [
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>7</int></value>\n</param>\n</params>\n</methodResponse>\n",
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><i4>-3</i4></value>\n<value><i8>12345678901234567890</i8></value>\n<value>untyped &amp; &lt;kept&gt;</value>\n<value>  </value>\n<value></value>\n<value><nil/></value>\n<value><boolean>1</boolean></value>\n<value><double>899.0</double></value>\n<value><double>-1e-07</double></value>\n<value><dateTime.iso8601>20240229T13:05:09</dateTime.iso8601></value>\n<value><base64>\nAAEC+v8=\n</base64></value>\n<value><string>line\nbreaks\r\n &#13; kept</string></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n",
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n<name>id</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>partner_id</name>\n<value><array><data>\n<value><int>3</int></value>\n<value><string>Azure Interior, Brandon Freeman</string></value>\n</data></array></value>\n</member>\n<member>\n<name>tag_ids</name>\n<value><array><data>\n</data></array></value>\n</member>\n<member>\n<name>date</name>\n<value><boolean>0</boolean></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n",
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>3</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Access Denied</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
      serializeFault({ faultCode: 1, faultString: "Traceback (most recent call last):\nValueError: bad & <worse>\n" }),
      serializeFault({ faultCode: 2, faultString: "" }),
      "<?xml version='1.0'?><methodResponse><params/></methodResponse>",
    ];
    for (const xml of answers) expect(viaBuiltin(xml)).toStrictEqual(await viaXmlrpc(xml));
    expect((viaBuiltin(answers[3] as string).error as { faultCode: number }).faultCode).toBe(3);
  });

  it("reads big integers as the xmlrpc package does: int as a number, i8 as its digits", () => {
    expect(viaBuiltin(serializeMethodResponse(2 ** 53 - 1)).value).toBe(2 ** 53 - 1);
    const i8 =
      "<methodResponse><params><param><value><i8>-9007199254740993</i8></value></param></params></methodResponse>";
    expect(viaBuiltin(i8).value).toBe("-9007199254740993");
  });
});

const sims = useSims();
const client = (version: string, xmlrpcClient: XmlRpcClientSetting, secret = "admin", username = "admin") =>
  createOdooClient({
    url: sims.sim(version).url,
    db: "demo",
    username,
    secret,
    timeoutMs: 5000,
    rejectedMessage: "refused",
    protocol: "xmlrpc",
    xmlrpcClient,
  });

/** The outcome of a call: its result, or its error's kind and message. */
async function outcome(promise: Promise<unknown>) {
  try {
    return { result: await promise };
  } catch (error) {
    const { kind, message } = error as { kind?: string; message: string };
    return { kind, message };
  }
}

const PARTNER_FIELDS = [
  "name",
  "complete_name",
  "is_company",
  "parent_id",
  "child_ids",
  "country_id",
  "email",
  "phone",
  "comment",
  "customer_rank",
  "lang",
  "write_date",
  "create_date",
];

describe.each(["17.0", "19.0"])("the built-in XML-RPC client on Odoo %s, against odoo-await", (version) => {
  const both = async (call: (odoo: ReturnType<typeof client>) => Promise<unknown>) => {
    const builtin = await outcome(call(client(version, "builtin")));
    const odooAwait = await outcome(call(client(version, "odoo-await")));
    expect(builtin).toStrictEqual(odooAwait);
    return builtin;
  };

  it("reads the same records: many fields, many2one, x2many, dates, floats, monetary amounts", async () => {
    const partners = await both((odoo) =>
      odoo.executeKw("res.partner", "search_read", [[]], { fields: PARTNER_FIELDS, limit: 20 }),
    );
    expect((partners.result as unknown[]).length).toBeGreaterThan(5);
    await both((odoo) => odoo.executeKw("res.partner", "search_read", [[]], {}));
    await both((odoo) => odoo.executeKw("sale.order", "search_read", [[]], { limit: 10 }));
    await both((odoo) => odoo.executeKw("sale.order.line", "search_read", [[]], { limit: 10 }));
    await both((odoo) => odoo.executeKw("product.product", "search_read", [[]], { limit: 10 }));
  });

  it("answers read_group, fields_get, search_count and name_search alike", async () => {
    await both((odoo) =>
      odoo.executeKw("sale.order", "read_group", [[], ["amount_total:sum"], ["partner_id"]], { lazy: false }),
    );
    await both((odoo) => odoo.executeKw("res.partner", "read_group", [[], ["customer_rank:sum"], ["country_id"]], {}));
    await both((odoo) =>
      odoo.executeKw("res.partner", "fields_get", [], { attributes: ["string", "type", "relation"] }),
    );
    await both((odoo) => odoo.executeKw("sale.order", "fields_get", [], {}));
    await both((odoo) => odoo.executeKw("res.country", "search_count", [[]]));
    await both((odoo) => odoo.executeKw("res.partner", "name_search", ["a"], { limit: 5 }));
    await both((odoo) => odoo.executeKw("res.partner", "search", [[["id", ">", 2 ** 40]]]));
    await both((odoo) => odoo.executeKw("res.partner", "search", [[["id", "in", [2 ** 31, 2 ** 53 - 1, -1]]]]));
  });

  it("writes and reads back empty strings, markup, unicode and line breaks alike", async () => {
    for (const text of ["", "a & b <c> ]]> d", "é ñ 漢字 😀", "two\nlines\ttab", "  padded  "]) {
      const ids: number[] = [];
      for (const xmlrpcClient of ["builtin", "odoo-await"] as const) {
        ids.push(
          (await client(version, xmlrpcClient).executeKw("res.partner", "create", [
            { name: "Codec", street: text, comment: text },
          ])) as number,
        );
      }
      const read = (id: number) =>
        both((odoo) => odoo.executeKw("res.partner", "read", [[id], ["street", "comment"]])) as Promise<{
          result: { id: number; street: unknown }[];
        }>;
      // Written by the built-in client, then by odoo-await: the same record either way.
      const fromBuiltin = (await read(ids[0] as number)).result;
      const fromAwait = (await read(ids[1] as number)).result;
      expect(fromBuiltin[0]?.street).toBe(text === "" ? false : text);
      expect(fromAwait).toStrictEqual(fromBuiltin.map((row) => ({ ...row, id: ids[1] })));
    }
  });

  it("refuses control characters as odoo-await does", async () => {
    const result = await both((odoo) => odoo.executeKw("res.partner", "search", [[["name", "=", "bell\u0007"]]]));
    expect(result).toMatchObject({ kind: "unavailable" });
  });

  it("maps faults 1 to 4 alike, and refused credentials", async () => {
    // 1: a Python error with its traceback; 2: a UserError (missing record, invalid value); 4: an AccessError.
    const failures = [
      await both((odoo) => odoo.executeKw("res.partner", "no_such_method", [[]])),
      await both((odoo) => odoo.executeKw("res.partner", "search_read", [[["no_field", "=", 1]]])),
      await both((odoo) => odoo.executeKw("res.partner", "write", [[999_999], { name: "x" }])),
      await both((odoo) => odoo.executeKw("res.partner", "create", [{}])),
      await both((odoo) => odoo.executeKw("no.such.model", "search", [[]])),
    ];
    for (const failure of failures) expect(failure).toHaveProperty("kind");
    const demo = async (xmlrpcClient: XmlRpcClientSetting) =>
      outcome(client(version, xmlrpcClient, "demo", "demo").executeKw("res.users", "write", [[1], { name: "x" }]));
    expect(await demo("builtin")).toStrictEqual(await demo("odoo-await"));
    expect(await demo("builtin")).toMatchObject({ kind: "access" });
    // 3: refused credentials.
    const refused = await both((odoo) => odoo.executeKw("res.country", "search_count", [[]]));
    expect(refused).toHaveProperty("result");
    const wrong = async (xmlrpcClient: XmlRpcClientSetting) =>
      outcome(client(version, xmlrpcClient, "wrong").executeKw("res.country", "search_count", [[]]));
    expect(await wrong("builtin")).toStrictEqual(await wrong("odoo-await"));
    expect(await wrong("builtin")).toStrictEqual({ kind: "credentials", message: "refused" });
  });

  it("signs in again once when Odoo no longer accepts the session (fault 3), alike", async () => {
    const demoUser = sims.sim(version).database.users.find((user) => user.login === "demo");
    if (!demoUser) throw new Error("no demo user");
    const lost = async (xmlrpcClient: XmlRpcClientSetting) => {
      const odoo = client(version, xmlrpcClient, "demo", "demo");
      const count = () => outcome(odoo.executeKw("res.country", "search_count", [[]]));
      const before = await count();
      demoUser.password = "changed";
      const after = await count();
      demoUser.password = "demo";
      return { before, after, again: await count() };
    };
    const builtin = await lost("builtin");
    expect(builtin).toStrictEqual(await lost("odoo-await"));
    expect(builtin).toStrictEqual({
      before: { result: 12 },
      after: { kind: "credentials", message: "refused" },
      again: { result: 12 },
    });
  });
});
