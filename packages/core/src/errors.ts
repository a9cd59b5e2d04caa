/**
 * The error hierarchy of the SDK. Every error the SDK throws is a {@link VideoRetalkError}, so one
 * `instanceof` check separates SDK failures from bugs in the calling code.
 *
 * None of these classes ever holds the API key: messages are built from response bodies that
 * are redacted first, and `toJSON()` / `util.inspect` only show the fields declared here.
 */

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");
// Registered symbols, so that every copy of the SDK loaded in one process (its ESM and CommonJS
// builds, or two installed versions) agrees on them.
const CLASS_BRAND = Symbol.for("videoretalk.error.class-brand");
const INSTANCE_BRANDS = Symbol.for("videoretalk.error.brands");

type Branded = { [CLASS_BRAND]?: string };

/** `instanceof`, extended to errors made by another copy of a branded class. */
function hasErrorBrand(errorClass: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(errorClass, value)) return true;
  const brand = Object.hasOwn(errorClass, CLASS_BRAND) ? (errorClass as Branded)[CLASS_BRAND] : undefined;
  if (brand === undefined || value === null || typeof value !== "object") return false;
  const brands = (value as { [INSTANCE_BRANDS]?: unknown })[INSTANCE_BRANDS];
  return Array.isArray(brands) && brands.includes(brand);
}

/**
 * Gives an error class a stable identity across copies of the SDK: `err instanceof Class` then
 * holds for an error made by another copy of the same class (an app that both `import`s and
 * `require`s the SDK loads two). Every error class of the SDK's packages is branded.
 *
 * @example
 * ```ts
 * export class MyError extends VideoRetalkError {}
 * brandErrorClass(MyError, "my-package:MyError");
 * ```
 */
export function brandErrorClass(errorClass: abstract new (...args: never[]) => VideoRetalkError, brand: string): void {
  Object.defineProperty(errorClass, CLASS_BRAND, { value: brand, enumerable: false });
}

/** Fields every SDK error can carry; all are optional because they depend on where it failed. */
export interface VideoRetalkErrorInit {
  cause?: unknown;
  status?: number | undefined;
  requestId?: string | undefined;
  idempotencyKey?: string | undefined;
  taskId?: string | undefined;
}

/**
 * Base class of every error thrown by the VideoRetalk SDK.
 *
 * @example
 * ```ts
 * try {
 *   await client.tasks.get(id);
 * } catch (err) {
 *   if (err instanceof VideoRetalkError) console.error(err.message, err.requestId);
 *   else throw err;
 * }
 * ```
 */
export class VideoRetalkError extends Error {
  override name = "VideoRetalkError";
  /** HTTP status of the response behind this error, when there was one. */
  status: number | undefined;
  /** Gateway request id (`X-Request-Id`, else `X-Oneapi-Request-Id`), for support tickets. */
  requestId: string | undefined;
  /**
   * The `Idempotency-Key` of the create call that failed. Retrying `lipSync.create` with the
   * same key can never create (or bill) a second task.
   */
  idempotencyKey: string | undefined;
  /** The task this error is about, when one is known. */
  taskId: string | undefined;

  /**
   * `instanceof` as usual, and also true for an error made by another copy of the same branded
   * class (see {@link brandErrorClass}).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of `instanceof`, often a subclass.
    return hasErrorBrand(this, value);
  }

  constructor(message: string, init: VideoRetalkErrorInit = {}) {
    super(message);
    const brands: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, CLASS_BRAND)) brands.push((c as Branded)[CLASS_BRAND] as string);
    }
    Object.defineProperty(this, INSTANCE_BRANDS, { value: brands, enumerable: false });
    if (init.cause !== undefined) {
      // Non-enumerable, like the standard `cause`, so JSON output stays small and safe.
      Object.defineProperty(this, "cause", {
        value: init.cause,
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
    this.status = init.status;
    this.requestId = init.requestId;
    this.idempotencyKey = init.idempotencyKey;
    this.taskId = init.taskId;
  }

  /** A plain, secret-free summary for structured logs. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== "name") out[key] = value;
    }
    return out;
  }

  /** Node's `util.inspect` shows the same safe fields plus the stack. */
  [inspectSymbol](): string {
    const fields = this.toJSON();
    delete fields.name;
    delete fields.message;
    const extra = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : "";
    return `${this.stack ?? `${this.name}: ${this.message}`}${extra}`;
  }
}

/** The parsed `error` object of an API error body; every field is optional on the wire. */
export interface APIErrorBody {
  code?: string | number | undefined;
  message?: string | undefined;
  type?: string | undefined;
  param?: string | undefined;
  [key: string]: unknown;
}

export interface APIErrorInit extends VideoRetalkErrorInit {
  status: number;
  code?: string | number | undefined;
  type?: string | undefined;
  param?: string | undefined;
  headers?: Record<string, string>;
  retryAfterMs?: number | undefined;
  body?: unknown;
}

/**
 * The API answered with an HTTP error (or with a 2xx body that is not the documented shape).
 * Switch on the subclass or on `code`; `type` differs between endpoints for the same error.
 */
export class APIError extends VideoRetalkError {
  override name = "APIError";
  declare status: number;
  /** Business code from the body, e.g. `insufficient_quota` (older gateways send a number). */
  code: string | number | undefined;
  /** Error type from the body, e.g. `invalid_request_error`. */
  type: string | undefined;
  /** The request parameter the error is about, e.g. `task_id`. */
  param: string | undefined;
  /** Response headers, lower-cased (`set-cookie` removed). */
  headers: Record<string, string>;
  /** The wait the server asked for through `Retry-After`, in milliseconds. */
  retryAfterMs: number | undefined;
  /** The parsed JSON body, when there was one (already redacted). */
  body: unknown;

  constructor(message: string, init: APIErrorInit) {
    super(message, init);
    this.status = init.status;
    this.code = init.code;
    this.type = init.type;
    this.param = init.param;
    this.headers = init.headers ?? {};
    this.retryAfterMs = init.retryAfterMs;
    Object.defineProperty(this, "body", {
      value: init.body,
      enumerable: false,
      writable: true,
      configurable: true,
    });
    this.body = init.body;
  }
}

/** 400: a parameter is missing or malformed. */
export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
/** 401: the API key is missing, invalid or expired. */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
/** 402: the account has no credits left; top up before retrying. */
export class InsufficientCreditsError extends APIError {
  override name = "InsufficientCreditsError";
}
/** 403: the key may not use this model or read this task. */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
/** 404: the task does not exist or has expired. */
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
/** 429: too many requests; `retryAfterMs` says how long the server asked to wait. */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
/** 5xx: the API failed; safe to retry a create with the same `idempotencyKey`. */
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/**
 * No usable response arrived: the connection was refused, reset or dropped, or DNS failed.
 * For a create call, `idempotencyKey` lets you retry without risk of a second task.
 */
export class APIConnectionError extends VideoRetalkError {
  override name = "APIConnectionError";
  /**
   * `false` when the connection was never made (refused, DNS failure, connect timeout), so the
   * request cannot have reached the API; `true` when it may have.
   */
  connected: boolean;

  constructor(message: string, init: VideoRetalkErrorInit & { connected?: boolean } = {}) {
    super(message, init);
    this.connected = init.connected ?? true;
  }
}

/** An attempt exceeded `timeoutMs`, or the whole call exceeded `deadlineMs`. */
export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError";
}

/** The caller's `AbortSignal` fired; the request in flight and any pending retry were stopped. */
export class RequestAbortedError extends VideoRetalkError {
  override name = "RequestAbortedError";
}

/**
 * Input was rejected before anything was sent. `field` names the offending parameter by its wire
 * name (`video_url`, `query_face_threshold`, …) or option name (`apiKey`, `idempotencyKey`, …).
 */
export class ValidationError extends VideoRetalkError {
  override name = "ValidationError";
  /** The rejected field or option. */
  field: string;

  constructor(field: string, message: string, init: VideoRetalkErrorInit = {}) {
    super(message, init);
    this.field = field;
  }
}

for (const [errorClass, name] of [
  [VideoRetalkError, "VideoRetalkError"],
  [APIError, "APIError"],
  [BadRequestError, "BadRequestError"],
  [AuthenticationError, "AuthenticationError"],
  [InsufficientCreditsError, "InsufficientCreditsError"],
  [PermissionDeniedError, "PermissionDeniedError"],
  [NotFoundError, "NotFoundError"],
  [RateLimitError, "RateLimitError"],
  [InternalServerError, "InternalServerError"],
  [APIConnectionError, "APIConnectionError"],
  [APITimeoutError, "APITimeoutError"],
  [RequestAbortedError, "RequestAbortedError"],
  [ValidationError, "ValidationError"],
] as const) {
  brandErrorClass(errorClass, `@videoretalk/core:${name}`);
}
