/**
 * Scenarios let a test pick, per request, how the emulator misbehaves. They come from the
 * `X-Emulator-Scenario` header or from a `scenario` query parameter on `video_url` (which
 * survives CLIs and proxies that do not forward custom headers). Several scenarios can be
 * combined with commas: `slow:200,fail:service_error`.
 */

/** The HTTP header that selects scenarios for one request. */
export const SCENARIO_HEADER = "x-emulator-scenario";
/** The query parameter on `video_url` that selects scenarios for the created task. */
export const SCENARIO_QUERY_PARAMETER = "scenario";

/** One parsed scenario. `times` limits an HTTP-level scenario to the first N matching requests. */
export type Scenario =
  | { kind: "fail"; code: string | number; raw: string }
  | { kind: "cancel"; raw: string }
  | { kind: "status"; status: number; times?: number; raw: string }
  | { kind: "retry-after"; seconds: number; times?: number; raw: string }
  | { kind: "slow"; ms: number; times?: number; raw: string }
  | { kind: "result-status"; status: number; raw: string }
  | { kind: "drop-after"; bytes: number; times: number; raw: string };

/** Scenarios that change the HTTP answer of the request that carries them. */
export type HttpScenario = Extract<Scenario, { kind: "status" | "retry-after" | "slow" }>;

/** The result of {@link parseScenarios}: the scenarios, or why the text is not understood. */
export type ParsedScenarios = { ok: true; scenarios: Scenario[] } | { ok: false; message: string };

const CODE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

function integer(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

function parseOne(raw: string): Scenario | string {
  // An optional `*N` suffix repeats a scenario for the first N matching requests only.
  const star = raw.match(/^(.*)\*(\d+)$/);
  const body = star ? (star[1] ?? "") : raw;
  const times = star ? integer(star[2], 1, 1_000_000) : undefined;
  if (star && times === undefined) return `"${raw}": the repeat count after "*" must be a positive integer`;
  const colon = body.indexOf(":");
  const name = (colon === -1 ? body : body.slice(0, colon)).toLowerCase();
  const arg = colon === -1 ? undefined : body.slice(colon + 1);
  const countable = name === "status" || name === "retry-after" || name === "slow" || name === "drop-after";
  if (star && !countable) return `"${raw}": "*N" only applies to status, retry-after, slow and drop-after`;
  switch (name) {
    case "fail": {
      const code = arg === undefined || arg === "" ? "content_policy_violation" : arg;
      if (!CODE_PATTERN.test(code)) return `"${raw}": the failure code must match ${CODE_PATTERN}`;
      return { kind: "fail", code: /^\d+$/.test(code) ? Number(code) : code, raw };
    }
    case "cancel":
      return arg === undefined ? { kind: "cancel", raw } : `"${raw}": cancel takes no argument`;
    case "status": {
      const status = integer(arg, 400, 599);
      return status === undefined
        ? `"${raw}": status needs an HTTP status from 400 to 599, as in status:503`
        : { kind: "status", status, times, raw };
    }
    case "retry-after": {
      const seconds = integer(arg, 0, 86_400);
      return seconds === undefined
        ? `"${raw}": retry-after needs whole seconds, as in retry-after:2`
        : { kind: "retry-after", seconds, times, raw };
    }
    case "slow": {
      const ms = integer(arg, 0, 600_000);
      return ms === undefined
        ? `"${raw}": slow needs milliseconds (0–600000), as in slow:1500`
        : { kind: "slow", ms, times, raw };
    }
    case "result-status": {
      const status = integer(arg, 400, 599);
      return status === undefined
        ? `"${raw}": result-status needs an HTTP status from 400 to 599, as in result-status:410`
        : { kind: "result-status", status, raw };
    }
    case "drop-after": {
      const bytes = integer(arg, 0, Number.MAX_SAFE_INTEGER);
      return bytes === undefined
        ? `"${raw}": drop-after needs a byte count, as in drop-after:4096`
        : { kind: "drop-after", bytes, times: times ?? 1, raw };
    }
    default:
      return `"${raw}" is not a scenario; use fail:<code>, cancel, status:<code>, retry-after:<s>, slow:<ms>, result-status:<code> or drop-after:<bytes>`;
  }
}

/** Parses a comma-separated scenario list; an empty or missing text means no scenarios. */
export function parseScenarios(text: string | undefined | null): ParsedScenarios {
  if (!text) return { ok: true, scenarios: [] };
  const scenarios: Scenario[] = [];
  for (const part of text.split(",")) {
    const raw = part.trim();
    if (raw === "") continue;
    const parsed = parseOne(raw);
    if (typeof parsed === "string") return { ok: false, message: `Unknown emulator scenario ${parsed}.` };
    scenarios.push(parsed);
  }
  return { ok: true, scenarios };
}

/** Reads the `scenario` query parameter of a URL string, or `undefined` when there is none. */
export function scenarioFromUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return new URL(value).searchParams.get(SCENARIO_QUERY_PARAMETER) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Counts how often each repeat-limited scenario fired (see {@link createScenarioCounter}). */
export interface ScenarioCounter {
  /** Whether a scenario with `times` may fire once more for `key`; counts the firing. */
  take(scenario: { raw: string; times?: number }, key: string): boolean;
}

/**
 * Creates a counter so that `status:503*2` answers 503 to the first two matching requests and
 * then lets the next ones through.
 */
export function createScenarioCounter(): ScenarioCounter {
  const counts = new Map<string, number>();
  return {
    take(scenario, key) {
      if (scenario.times === undefined) return true;
      const id = `${scenario.raw}\u0000${key}`;
      const used = counts.get(id) ?? 0;
      if (used >= scenario.times) return false;
      counts.set(id, used + 1);
      return true;
    },
  };
}
