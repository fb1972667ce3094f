/**
 * XML-RPC's wire format without the xmlrpc package's cost: a call is built from strings, byte for byte
 * what xmlrpc's serializer (xmlbuilder) writes, and an answer is parsed by saxes (jsdom's XML parser,
 * about 7 times faster than sax here) into the values xmlrpc's sax deserializer gives (int/i4/double → number, i8 → its digits as a string, a
 * `<value>` without a type → string, dateTime.iso8601 → Date, base64 → Buffer, nil → null, a fault →
 * `{ faultCode, faultString }`). Proven against the xmlrpc package in test/xmlrpc-codec.test.ts.
 */
import { SaxesParser } from "saxes";
import dateFormatter from "xmlrpc/lib/date_formatter.js";

/** A fault answer, as xmlrpc's client reports it (an Error carrying faultCode and faultString). */
export class XmlRpcFault extends Error {
  readonly code: unknown;
  constructor(
    readonly faultCode: unknown,
    readonly faultString: unknown,
  ) {
    super(`XML-RPC fault${faultString ? `: ${faultString}` : ""}`);
    this.code = faultCode;
  }
}

/** What xmlbuilder refuses in text (xmlrpc allows lone surrogates): the call is never sent. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ILLEGAL_CHAR = /[\u0000-\u0008\u000B-\u000C\u000E-\u001F\uFFFE-\uFFFF]/;
/** Text xmlrpc writes escaped rather than as CDATA: no `<`, no `&`, no `]]>`. */
const PLAIN_TEXT = /^(?![^<&]*]]>[^<&]*)[^<&]*$/;
const NEEDS_ESCAPE = /[&<>\r]/;

function checked(text: string): string {
  const found = ILLEGAL_CHAR.exec(text);
  if (found) throw new Error(`Invalid character (${found[0]}) in string: ${text} at index ${found.index}`);
  return text;
}

/** xmlbuilder's element text: & < > and carriage returns escaped. */
function escaped(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return checked(text);
  return checked(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;"));
}

function encodeString(value: string): string {
  if (value.length === 0) return "<string/>";
  if (PLAIN_TEXT.test(value)) return `<string>${escaped(value)}</string>`;
  // xmlbuilder splits only the first `]]>`, which garbles a second one: every one is split here.
  return `<string><![CDATA[${checked(value.replaceAll("]]>", "]]]]><![CDATA[>"))}]]></string>`;
}

/** One `<value>`, appended to `out`; anything xmlrpc cannot express (undefined, functions) is an empty one. */
function encodeValue(value: unknown, out: string[]): void {
  switch (typeof value) {
    case "string":
      out.push("<value>", encodeString(value), "</value>");
      return;
    case "number":
      out.push(value % 1 === 0 ? `<value><int>${value}</int></value>` : `<value><double>${value}</double></value>`);
      return;
    case "boolean":
      out.push(value ? "<value><boolean>1</boolean></value>" : "<value><boolean>0</boolean></value>");
      return;
    case "object": {
      if (value === null) out.push("<value><nil/></value>");
      else if (value instanceof Date)
        out.push(`<value><dateTime.iso8601>${dateFormatter.encodeIso8601(value)}</dateTime.iso8601></value>`);
      else if (Buffer.isBuffer(value)) {
        const text = value.toString("base64");
        out.push(text ? `<value><base64>${text}</base64></value>` : "<value><base64/></value>");
      } else if (Array.isArray(value)) {
        if (value.length === 0) {
          out.push("<value><array><data/></array></value>");
          return;
        }
        out.push("<value><array><data>");
        for (const item of value) encodeValue(item, out);
        out.push("</data></array></value>");
      } else {
        const keys = Object.keys(value);
        if (keys.length === 0) {
          out.push("<value><struct/></value>");
          return;
        }
        out.push("<value><struct>");
        for (const key of keys) {
          out.push("<member>", key ? `<name>${escaped(key)}</name>` : "<name/>");
          encodeValue((value as Record<string, unknown>)[key], out);
          out.push("</member>");
        }
        out.push("</struct></value>");
      }
      return;
    }
    default:
      out.push("<value/>");
  }
}

/** The body of an XML-RPC call, as xmlrpc's `serializeMethodCall` writes it. */
export function encodeMethodCall(method: string, params: unknown[]): string {
  const out = ['<?xml version="1.0"?><methodCall><methodName>', escaped(method), "</methodName>"];
  if (params.length === 0) out.push("<params/>");
  else {
    out.push("<params>");
    for (const param of params) {
      out.push("<param>");
      encodeValue(param, out);
      out.push("</param>");
    }
    out.push("</params>");
  }
  out.push("</methodCall>");
  return out.join("");
}

/** One answer's parse: xmlrpc's deserializer (a stack of values, marks where arrays and structs open), on saxes. */
class ResponseReader {
  stack: unknown[] = [];
  marks: number[] = [];
  data = "";
  /** A `<value>` opened and no typed element in it yet: its text is a string. */
  untyped = false;
  isResponse = false;
  body: "params" | "fault" | undefined;

  open(name: string): void {
    if (name === "array" || name === "struct") this.marks.push(this.stack.length);
    this.data = "";
    this.untyped = name === "value";
  }

  close(name: string): void {
    const data = this.data;
    switch (name.toUpperCase()) {
      case "STRING":
      case "NAME":
        this.push(data);
        break;
      case "INT":
      case "I4": {
        const number = Number.parseInt(data, 10);
        this.push(Number.isNaN(number) ? invalid(`Expected an integer but got '${data}'`) : number);
        break;
      }
      case "I8":
        this.push(/^-?\d+$/.test(data) ? data : invalid(`Expected integer (I8) value but got '${data}'`));
        break;
      case "DOUBLE": {
        const number = Number.parseFloat(data);
        this.push(Number.isNaN(number) ? invalid(`Expected a double but got '${data}'`) : number);
        break;
      }
      case "BOOLEAN":
        this.push(data === "1" ? true : data === "0" ? false : invalid(`Illegal boolean value '${data}'`));
        break;
      case "NIL":
        this.push(null);
        break;
      case "DATETIME.ISO8601":
        this.push(dateFormatter.decodeIso8601(data));
        break;
      case "BASE64":
        this.push(Buffer.from(data, "base64"));
        break;
      case "ARRAY": {
        const mark = this.marks.pop() as number;
        this.stack.push(this.stack.splice(mark));
        this.untyped = false;
        break;
      }
      case "STRUCT": {
        const mark = this.marks.pop() as number;
        const items = this.stack.splice(mark);
        const struct: Record<string, unknown> = {};
        for (let i = 0; i < items.length; i += 2) struct[items[i] as string] = items[i + 1];
        this.stack.push(struct);
        this.untyped = false;
        break;
      }
      case "VALUE":
        if (this.untyped) this.push(data);
        break;
      case "PARAMS":
        this.body = "params";
        break;
      case "FAULT":
        this.body = "fault";
        break;
      case "METHODRESPONSE":
        this.isResponse = true;
        break;
      case "DATA":
      case "PARAM":
      case "MEMBER":
        break;
      default:
        invalid(`Unknown XML-RPC tag '${name.toUpperCase()}'`);
    }
  }

  push(value: unknown): void {
    this.stack.push(value);
    this.untyped = false;
  }
}

function invalid(message: string): never {
  throw new Error(message);
}

/** The result of an XML-RPC answer; a fault is thrown as an XmlRpcFault. */
export function decodeMethodResponse(xml: string): unknown {
  const reader = new ResponseReader();
  const parser = new SaxesParser();
  parser.on("opentag", (tag) => reader.open(tag.name));
  parser.on("closetag", (tag) => reader.close(tag.name));
  parser.on("text", (text) => {
    reader.data += text;
  });
  parser.on("cdata", (text) => {
    reader.data += text;
  });
  // Python writes carriage returns raw; an XML parser reads them as line feeds, xmlrpc's sax keeps them.
  parser.write(xml.includes("\r") ? xml.replace(/\r/g, "&#13;") : xml).close();
  if (!reader.isResponse || reader.marks.length) return invalid("Invalid XML-RPC message");
  if (reader.body === "fault") {
    const fault = (reader.stack[0] ?? {}) as { faultCode?: unknown; faultString?: unknown };
    throw new XmlRpcFault(fault.faultCode, fault.faultString);
  }
  if (reader.stack.length > 1) return invalid("Response has more than one param");
  if (!reader.body) return invalid("Invalid method response");
  return reader.stack[0];
}
