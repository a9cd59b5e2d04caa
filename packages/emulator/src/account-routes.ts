import type { IncomingMessage } from "node:http";
import { isLoopbackHost } from "./address.js";
import type { EmulatorContext } from "./context.js";
import { creditsBody } from "./credits.js";
import type { JsonReply } from "./files-api.js";

/** `GET /v1/credits`: the emulated account's balance (creates draw it down). */
export function readCredits(context: EmulatorContext): JsonReply {
  return { status: 200, body: creditsBody(context.accounting.creditBalance()) };
}

/**
 * `GET /__emulator/stats`: `emulator.stats()` for a test that runs the emulator in another
 * process. Only a client on this machine gets it, whatever interface the emulator listens on.
 */
export function readStats(req: IncomingMessage, context: EmulatorContext): JsonReply {
  const remote = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  // Socket addresses come without the brackets URL hostnames put around IPv6.
  if (!isLoopbackHost(remote.includes(":") ? `[${remote}]` : remote)) {
    return { status: 404, body: { error: { code: "not_found", message: "Not found", type: "invalid_request_error" } } };
  }
  return { status: 200, body: context.accounting.stats() };
}
