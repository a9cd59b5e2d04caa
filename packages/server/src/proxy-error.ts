/** Optional fields of a {@link ProxyError}. */
export interface ProxyErrorInit {
  /** Business code sent to the browser. Default: `"request_refused"`. */
  code?: string | undefined;
  /** Error type sent to the browser. Default: `"invalid_request_error"` below 500, else `"api_error"`. */
  type?: string | undefined;
  /** The request field the refusal is about, e.g. `"video_url"`. */
  param?: string | undefined;
}

/**
 * A refusal whose status and message you choose. Throw it from `authorize` or `beforeCreate` and
 * the proxy answers with `status` and `{ error: { code, message, type, param? } }`, which the
 * browser client turns into the matching error class (402 → `InsufficientCreditsError`, 429 →
 * `RateLimitError`, …). Anything else thrown from those hooks is answered without its message,
 * which may hold server details.
 *
 * @example
 * ```ts
 * beforeCreate: async (params, request) => {
 *   const user = await currentUser(request);
 *   if (user.creditsLeft <= 0) {
 *     throw new ProxyError(402, "You have used this month's lip-sync quota.", { code: "quota_exceeded" });
 *   }
 *   return params;
 * },
 * ```
 */
export class ProxyError extends Error {
  override name = "ProxyError";
  /** HTTP status sent to the browser (400–599). */
  readonly status: number;
  /** Business code sent to the browser. */
  readonly code: string;
  /** Error type sent to the browser. */
  readonly type: string;
  /** The request field the refusal is about. */
  readonly param: string | undefined;

  /**
   * @param status HTTP status, 400–599 (anything else becomes 500).
   * @param message Shown to the browser as is: keep it free of internal details.
   */
  constructor(status: number, message: string, init: ProxyErrorInit = {}) {
    super(message);
    this.status = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
    this.code = init.code ?? "request_refused";
    this.type = init.type ?? (this.status >= 500 ? "api_error" : "invalid_request_error");
    this.param = init.param;
  }
}
