/**
 * Which `APIError` subclass an HTTP status maps to. Kept apart from the message-building code in
 * error-from-response.ts (loaded only when a call fails) so that a failure whose reporting code
 * cannot load still gets the right class.
 */
import {
  APIError,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "./errors.js";

/** A constructor of `APIError` or one of its subclasses. */
export type APIErrorClass = new (message: string, init: APIErrorInit) => APIError;

const CLASS_BY_STATUS: Record<number, APIErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: InsufficientCreditsError,
  403: PermissionDeniedError,
  404: NotFoundError,
  429: RateLimitError,
};

/** The error class for an HTTP status: one per documented status, else the base `APIError`. */
export function errorClassForStatus(status: number): APIErrorClass {
  return CLASS_BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
}
