// The xmlrpc package's own (de)serializers, which @types/xmlrpc does not declare.
declare module "xmlrpc/lib/deserializer.js" {
  import type { Readable } from "node:stream";
  export default class Deserializer {
    constructor(encoding?: string);
    deserializeMethodCall(
      stream: Readable,
      callback: (error: Error | null, method?: string, params?: unknown[]) => void,
    ): void;
  }
}
declare module "xmlrpc/lib/serializer.js" {
  export function serializeMethodResponse(value: unknown): string;
  export function serializeFault(fault: { faultCode: number; faultString: string }): string;
}
declare module "xmlrpc/lib/customtype.js" {
  export default class CustomType {
    constructor(raw: string);
    raw: string;
    tagName: string;
  }
}
