import { IdentitySchema1764200000001 } from './1764200000001-identity';
import { IntegrationRuntimesSchema1764200000002 } from './1764200000002-integration-runtimes';
import { ScanningSchema1764200000003 } from './1764200000003-scanning';
import { DataMapSchema1764200000004 } from './1764200000004-datamap';

/** One migration per bounded context, applied in order at boot. Never edit a released migration: add one. */
export const MIGRATIONS = [IdentitySchema1764200000001, IntegrationRuntimesSchema1764200000002, ScanningSchema1764200000003, DataMapSchema1764200000004];
