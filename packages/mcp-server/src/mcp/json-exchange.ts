/**
 * The smallest MCP transport for stateless Streamable HTTP: the messages of one POST go in, the responses
 * to its requests come out, and the HTTP layer answers them as one JSON body. The spec lets a server
 * answer a POST with application/json instead of an SSE stream, and nothing here streams (no progress,
 * no server-initiated requests), so the SDK's stream machinery and its Node↔Fetch conversion are skipped.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from "@modelcontextprotocol/sdk/types.js";

const isResponse = (message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } =>
  "id" in message && ("result" in message || "error" in message);
const isRequest = (message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId; method: string } =>
  "id" in message && "method" in message;

export class JsonExchangeTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly waiting = new Map<RequestId, (message: JSONRPCMessage) => void>();

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    // Only responses have somewhere to go: there is no stream for server-initiated messages.
    if (isResponse(message)) this.waiting.get(message.id)?.(message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }

  /** Delivers one POST's messages; resolves with the responses to its requests, in order. */
  exchange(messages: JSONRPCMessage[], extra?: MessageExtraInfo): Promise<JSONRPCMessage[]> {
    const answers = messages
      .filter(isRequest)
      .map((request) => new Promise<JSONRPCMessage>((resolve) => this.waiting.set(request.id, resolve)));
    for (const message of messages) this.onmessage?.(message, extra);
    return Promise.all(answers);
  }
}

export const requestIds = (messages: JSONRPCMessage[]) => messages.filter(isRequest).map((message) => message.id);
