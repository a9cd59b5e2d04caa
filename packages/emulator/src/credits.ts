/**
 * The emulated account's credit balance: creates reserve `usage.credits_reserved` from it, a
 * create it cannot cover is refused (402), and a task that ends failed or cancelled gets its
 * credits back (the API bills only delivered videos).
 */

/** Balance of a default emulator: large enough that no test runs out by accident. */
export const UNLIMITED_CREDITS = 1_000_000_000;

/** A task whose reservation may still be refunded. */
interface Reservation {
  credits: number;
  /** Real time (ms) at which the task reaches its terminal state. */
  terminalAtMs: number;
  /** Whether that state is `failed` or `cancelled`. */
  refundable: boolean;
}

/** The account's balance; see {@link createCreditLedger}. */
export interface CreditLedger {
  /** Whether the balance (after due refunds) covers `credits`. */
  covers(credits: number, nowMs: number): boolean;
  /** Takes `credits` for a new task. */
  reserve(reservation: Reservation): void;
  /** The balance at real time `nowMs`. */
  balance(nowMs: number): { remaining: number; used: number };
}

/** A ledger holding `initial` credits. */
export function createCreditLedger(initial: number): CreditLedger {
  let remaining = initial;
  let used = 0;
  let pending: Reservation[] = [];

  // Refunds are settled lazily, whenever the balance is looked at.
  const settle = (nowMs: number) => {
    if (pending.length === 0) return;
    const open: Reservation[] = [];
    for (const reservation of pending) {
      if (reservation.terminalAtMs > nowMs) open.push(reservation);
      else if (reservation.refundable) {
        remaining += reservation.credits;
        used -= reservation.credits;
      }
    }
    pending = open;
  };

  return {
    covers(credits, nowMs) {
      settle(nowMs);
      return remaining >= credits;
    },
    reserve(reservation) {
      remaining -= reservation.credits;
      used += reservation.credits;
      if (reservation.refundable) pending.push(reservation);
    },
    balance(nowMs) {
      settle(nowMs);
      return { remaining, used };
    },
  };
}

/** The `GET /v1/credits` answer for a balance (the emulator's keys have no limit of their own). */
export function creditsBody(balance: { remaining: number; used: number }): unknown {
  return {
    success: true,
    message: "success",
    data: {
      user: { remaining_credits: balance.remaining, used_credits: balance.used },
      token: { remaining_credits: 0, used_credits: balance.used, unlimited_credits: true },
    },
  };
}
