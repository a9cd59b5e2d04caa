/**
 * The error hierarchy of the SDK. Every error the SDK throws is a {@link VideoRetalkError}, so one
 * `instanceof` check separates SDK failures from bugs in the calling code.
 *
 * None of these classes ever holds the API key: messages are built from response bodies that
 * are redacted first, and `toJSON()` shows only the fields declared here that have a value.
 * Node's `util.inspect` shows every declared field (`undefined` ones too) and the `cause`, which
 * is sanitised where it is set; the hidden `body` only with `showHidden`.
 */

/**
 * A writable property that `Object.entries`, `JSON.stringify` and `toJSON()` skip. `enumerable`
 * is spelled out: on a property that already exists (a subclass's class field), an omitted
 * attribute keeps its old value. The data fields below are `declare`d for the same reason, and
 * because a class field would first set them to `undefined` and then be assigned again.
 */
function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
}
type BrandedClass = { errorBrand?: unknown };

/**
 * `instanceof`, extended to errors made by another copy of the SDK (an app that both `import`s
 * and `require`s it loads the ESM and the CommonJS build): a class with its own static
 * `errorBrand` also matches any error whose class chain has a class with the same brand.
 * Brands are static string fields, so bundlers can still drop unused error classes.
 */
function hasErrorBrand(errorClass: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(errorClass, value)) return true;
  if (!Object.hasOwn(errorClass, "errorBrand") || value === null || typeof value !== "object") return false;
  const brand = (errorClass as BrandedClass).errorBrand;
  for (let proto: object | null = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
    const ctor = Object.hasOwn(proto, "constructor") ? (proto as { constructor: unknown }).constructor : undefined;
    if (
      typeof ctor === "function" &&
      Object.hasOwn(ctor, "errorBrand") &&
      (ctor as BrandedClass).errorBrand === brand
    ) {
      return true;
    }
  }
  return false;
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
  declare status: number | undefined;
  /** Gateway request id (`X-Request-Id`, else `X-Oneapi-Request-Id`), for support tickets. */
  declare requestId: string | undefined;
  /**
   * The `Idempotency-Key` of the create call that failed. Retrying `lipSync.create` with the
   * same key can never create (or bill) a second task.
   */
  declare idempotencyKey: string | undefined;
  /** The task this error is about, when one is known. */
  declare taskId: string | undefined;

  /**
   * Identifies this class across copies of the SDK loaded in one process. Subclasses declare
   * their own (`static override readonly errorBrand = "my-package:MyError"`) to take part.
   */
  static readonly errorBrand: string = "@videoretalk/core:VideoRetalkError";

  /**
   * `instanceof` as usual, and also true for an error made by another copy of the same class
   * (same `errorBrand`), e.g. the CommonJS build's when this is the ESM build's.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of `instanceof`, often a subclass.
    return hasErrorBrand(this, value);
  }

  constructor(message: string, init: VideoRetalkErrorInit = {}) {
    super(message);
    this.status = init.status;
    this.requestId = init.requestId;
    this.idempotencyKey = init.idempotencyKey;
    this.taskId = init.taskId;
    // Non-enumerable, like the standard `cause`, so JSON output stays small and safe.
    if (init.cause !== undefined) defineHidden(this, "cause", init.cause);
  }

  /** A plain, secret-free summary for structured logs. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) out[key] = value;
    }
    return out;
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
  static override readonly errorBrand: string = "@videoretalk/core:APIError";
  declare status: number;
  /** Business code from the body, e.g. `insufficient_quota` (older gateways send a number). */
  declare code: string | number | undefined;
  /** Error type from the body, e.g. `invalid_request_error`. */
  declare type: string | undefined;
  /** The request parameter the error is about, e.g. `task_id`. */
  declare param: string | undefined;
  /** Response headers, lower-cased (`set-cookie` removed). */
  declare headers: Record<string, string>;
  /** The wait the server asked for through `Retry-After`, in milliseconds. */
  declare retryAfterMs: number | undefined;
  /** The parsed JSON body, when there was one (already redacted). */
  declare body: unknown;

  constructor(message: string, init: APIErrorInit) {
    super(message, init);
    this.code = init.code;
    this.type = init.type;
    this.param = init.param;
    this.headers = init.headers ?? {};
    this.retryAfterMs = init.retryAfterMs;
    // Not enumerable, so `toJSON()` and `util.inspect` leave the (possibly large) body out.
    defineHidden(this, "body", init.body);
  }
}

/** 400: a parameter is missing or malformed. */
export class BadRequestError extends APIError {
  override name = "BadRequestError";
  static override readonly errorBrand: string = "@videoretalk/core:BadRequestError";
}
/** 401: the API key is missing, invalid or expired. */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
  static override readonly errorBrand: string = "@videoretalk/core:AuthenticationError";
}
/** 402: the account has no credits left; top up before retrying. */
export class InsufficientCreditsError extends APIError {
  override name = "InsufficientCreditsError";
  static override readonly errorBrand: string = "@videoretalk/core:InsufficientCreditsError";
}
/** 403: the key may not use this model or read this task. */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
  static override readonly errorBrand: string = "@videoretalk/core:PermissionDeniedError";
}
/** 404: the task does not exist or has expired. */
export class NotFoundError extends APIError {
  override name = "NotFoundError";
  static override readonly errorBrand: string = "@videoretalk/core:NotFoundError";
}
/** 429: too many requests; `retryAfterMs` says how long the server asked to wait. */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
  static override readonly errorBrand: string = "@videoretalk/core:RateLimitError";
}
/** 5xx: the API failed; safe to retry a create with the same `idempotencyKey`. */
export class InternalServerError extends APIError {
  override name = "InternalServerError";
  static override readonly errorBrand: string = "@videoretalk/core:InternalServerError";
}

/**
 * No usable response arrived: the connection was refused, reset or dropped, or DNS failed.
 * For a create call, `idempotencyKey` lets you retry without risk of a second task.
 */
export class APIConnectionError extends VideoRetalkError {
  override name = "APIConnectionError";
  static override readonly errorBrand: string = "@videoretalk/core:APIConnectionError";
  /**
   * `false` when the connection was never made (refused, DNS failure, connect timeout), so the
   * request cannot have reached the API; `true` when it may have.
   */
  declare connected: boolean;

  constructor(message: string, init: VideoRetalkErrorInit & { connected?: boolean } = {}) {
    super(message, init);
    this.connected = init.connected ?? true;
  }
}

/** An attempt exceeded `timeoutMs`, or the whole call exceeded `deadlineMs`. */
export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError";
  static override readonly errorBrand: string = "@videoretalk/core:APITimeoutError";
}

/** The caller's `AbortSignal` fired; the request in flight and any pending retry were stopped. */
export class RequestAbortedError extends VideoRetalkError {
  override name = "RequestAbortedError";
  static override readonly errorBrand: string = "@videoretalk/core:RequestAbortedError";
}

/**
 * Input was rejected before anything was sent. `field` names the offending parameter by its wire
 * name (`video_url`, `query_face_threshold`, …) or option name (`apiKey`, `idempotencyKey`, …).
 */
export class ValidationError extends VideoRetalkError {
  override name = "ValidationError";
  static override readonly errorBrand: string = "@videoretalk/core:ValidationError";
  /** The rejected field or option. */
  declare field: string;

  constructor(field: string, message: string, init: VideoRetalkErrorInit = {}) {
    super(message, init);
    this.field = field;
  }
}
