/**
 * The smallest MCP transport for stateless Streamable HTTP: the messages of one POST go in, the responses
 * to its requests come out, and the HTTP layer answers them as one JSON body. The spec lets a server
 * answer a POST with application/json instead of an SSE stream, and nothing here streams (no progress,
 * no server-initiated requests), so the SDK's stream machinery and its Node↔Fetch conversion are skipped.
 *
 * A POST with requests must be answered, but the SDK sends nothing for a request it was told to cancel
 * (notifications/cancelled, as the spec's cancellation utility says), and a handler may never finish: so
 * every request gets the server's response, or an error when it is cancelled or its deadline passes.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  ErrorCode,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";

const isResponse = (message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } =>
  "id" in message && ("result" in message || "error" in message);
const isRequest = (message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId; method: string } =>
  "id" in message && "method" in message;
const cancelledId = (message: JSONRPCMessage) =>
  "method" in message && message.method === "notifications/cancelled" && !("id" in message)
    ? (message.params as { requestId?: RequestId } | undefined)?.requestId
    : undefined;

const errorFor = (id: RequestId, code: number, message: string): JSONRPCMessage => ({
  jsonrpc: "2.0",
  id,
  error: { code, message },
});

export class JsonExchangeTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly waiting = new Map<RequestId, (message: JSONRPCMessage) => void>();

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    // Only responses have somewhere to go: there is no stream for server-initiated messages.
    if (isResponse(message)) this.answer(message.id, message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }

  /** The first answer for an id wins; a late one (after a cancellation or the deadline) is dropped. */
  private answer(id: RequestId, message: JSONRPCMessage) {
    const resolve = this.waiting.get(id);
    this.waiting.delete(id);
    resolve?.(message);
  }

  /**
   * Delivers one POST's messages; resolves with one response per request, in order, within deadlineMs:
   * the server's, or an error for a request cancelled in the same POST or still unanswered at the deadline.
   */
  async exchange(messages: JSONRPCMessage[], deadlineMs: number, extra?: MessageExtraInfo): Promise<JSONRPCMessage[]> {
    const answers = messages
      .filter(isRequest)
      .map((request) => new Promise<JSONRPCMessage>((resolve) => this.waiting.set(request.id, resolve)));
    const deadline = setTimeout(() => {
      for (const id of [...this.waiting.keys()])
        this.answer(
          id,
          errorFor(id, ErrorCode.RequestTimeout, `Request timed out: no answer within ${deadlineMs / 1000} s.`),
        );
    }, deadlineMs);
    try {
      for (const message of messages) {
        const cancelled = cancelledId(message);
        // SDK ErrorCode has no -32800 (LSP's RequestCancelled), so InternalError with a plain message.
        if (cancelled !== undefined && this.waiting.has(cancelled))
          this.answer(cancelled, errorFor(cancelled, ErrorCode.InternalError, "Request cancelled by the client."));
        this.onmessage?.(message, extra);
      }
      return await Promise.all(answers);
    } finally {
      clearTimeout(deadline);
    }
  }
}

export const requestIds = (messages: JSONRPCMessage[]) => messages.filter(isRequest).map((message) => message.id);
