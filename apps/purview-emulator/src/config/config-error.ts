/** A configuration value the emulator cannot start with; the message says what to fix. */
export class ConfigError extends Error {}
