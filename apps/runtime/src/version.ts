/** The runtime's own version: four parts, like the real SHIR's (e.g. 5.40.9000.1). Reported at registration and in heartbeats. */
export const RUNTIME_VERSION = '5.40.9000.1';

/** Process exit codes of every `shir` command. */
export const EXIT = {
  ok: 0,
  /** Bad arguments or input: a malformed key, a home that is (or is not) registered, an invalid setting. */
  usage: 1,
  /** The integration service refused the request, could not be reached, or revoked this node's credential. */
  service: 2,
} as const;

/** Env variable overriding the version a node reports (a testing aid for version skew and expiry). */
export const VERSION_ENV = 'SHIR_VERSION';
export const VERSION_PATTERN = /^\d+\.\d+\.\d+\.\d+$/;
