/**
 * Azure Relay Hybrid Connections in one place, for both ends: the relay the emulator serves (listener control
 * channels, WebSocket and HTTP senders, SAS tokens) and the framing a listener shares with it. Message shapes and
 * constants stay in @purview-emulator/contracts.
 */
export { HybridConnectionRelay } from './hybrid-connection-relay';
export * from './relay-types';
export * from './relay-frames';
export * from './sas';
