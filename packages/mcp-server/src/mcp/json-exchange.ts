/**
 * One POST's exchange in stateless Streamable HTTP: its messages go in, in order, and the responses to its
 * requests come out, one per request and in the same order, for the HTTP layer to answer as one JSON body.
 * The spec lets a server answer a POST with application/json instead of an SSE stream, and nothing here
 * streams (no progress, no server-initiated requests). Notifications other than notifications/cancelled,
 * and responses sent by the client, have nothing to act on and are dropped, as the SDK's Server drops them.
 *
 * A POST with requests must be answered, but the spec's cancellation utility says a cancelled request
 * gets no response, and a handler may never finish: so every request gets its handler's response, or an
 * error when it is cancelled in the same POST (then it never starts) or its deadline passes. The first
 * answer for an id wins.
 */
import {
  ErrorCode,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";

export const isRequest = (message: JSONRPCMessage): message is JSONRPCRequest => "id" in message && "method" in message;
const cancelledId = (message: JSONRPCMessage) =>
  "method" in message && message.method === "notifications/cancelled" && !("id" in message)
    ? (message.params as { requestId?: RequestId } | undefined)?.requestId
    : undefined;

/** The requests of a POST that will run: all but those a notifications/cancelled of the same POST names. */
export function requestsToRun(messages: readonly JSONRPCMessage[]): JSONRPCRequest[] {
  const cancelled = new Set(messages.map(cancelledId).filter((id) => id !== undefined));
  return messages.filter(isRequest).filter((request) => !cancelled.has(request.id));
}

const errorFor = (id: RequestId, code: number, message: string): JSONRPCMessage => ({
  jsonrpc: "2.0",
  id,
  error: { code, message },
});

/**
 * Delivers one POST's requests to `respond` (which must not reject); resolves with one response per
 * request, in order, within deadlineMs: respond's, or an error for a request cancelled in the same POST
 * (before or after it; never passed to `respond`) or still unanswered at the deadline. A handler still
 * running then is not waited for.
 */
export async function exchange(
  messages: JSONRPCMessage[],
  deadlineMs: number,
  respond: (request: JSONRPCRequest) => Promise<JSONRPCMessage>,
): Promise<JSONRPCMessage[]> {
  const waiting = new Map<RequestId, (message: JSONRPCMessage) => void>();
  const answer = (id: RequestId, message: JSONRPCMessage) => {
    const resolve = waiting.get(id);
    waiting.delete(id);
    resolve?.(message);
  };
  const answers = messages
    .filter(isRequest)
    .map((request) => new Promise<JSONRPCMessage>((resolve) => waiting.set(request.id, resolve)));
  if (answers.length === 0) return [];
  const deadline = setTimeout(() => {
    for (const id of [...waiting.keys()])
      answer(id, errorFor(id, ErrorCode.RequestTimeout, `Request timed out: no answer within ${deadlineMs / 1000} s.`));
  }, deadlineMs);
  try {
    // The whole POST is known before anything starts: a request cancelled anywhere in it, before or
    // after it, never runs (it would create or change records while the client is told "cancelled").
    const running = new Set(requestsToRun(messages));
    for (const message of messages) {
      if (!isRequest(message)) continue;
      if (running.has(message)) void respond(message).then((response) => answer(message.id, response));
      // SDK ErrorCode has no -32800 (LSP's RequestCancelled), so InternalError with a plain message.
      else answer(message.id, errorFor(message.id, ErrorCode.InternalError, "Request cancelled by the client."));
    }
    return await Promise.all(answers);
  } finally {
    clearTimeout(deadline);
  }
}

export const requestIds = (messages: JSONRPCMessage[]) => messages.filter(isRequest).map((message) => message.id);
