import { errorBodyFor, type RouteKind } from "./api-errors.js";
import type { JsonReply } from "./files-api.js";
import type { Scenario, ScenarioCounter } from "./scenarios.js";

/** What the HTTP-level scenarios of one request do: wait, and maybe answer with an error. */
export interface HttpScenarioEffect {
  delayMs: number;
  reply?: JsonReply;
}

/**
 * Applies `slow`, `status` and `retry-after` to a request. `key` identifies the request for
 * repeat counts (`status:503*2`): a retried request must map to the same key.
 */
export function httpScenarioEffect(
  scenarios: readonly Scenario[],
  route: RouteKind,
  key: string,
  counter: ScenarioCounter,
): HttpScenarioEffect {
  const effect: HttpScenarioEffect = { delayMs: 0 };
  for (const scenario of scenarios) {
    if (scenario.kind === "slow") {
      if (counter.take(scenario, key)) effect.delayMs += scenario.ms;
    } else if (scenario.kind === "status" && !effect.reply) {
      if (counter.take(scenario, key))
        effect.reply = { status: scenario.status, body: errorBodyFor(route, scenario.status) };
    } else if (scenario.kind === "retry-after" && !effect.reply) {
      if (counter.take(scenario, key)) {
        effect.reply = {
          status: 429,
          body: errorBodyFor(route, 429),
          headers: { "Retry-After": String(scenario.seconds) },
        };
      }
    }
  }
  return effect;
}
