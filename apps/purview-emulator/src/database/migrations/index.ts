import { IdentitySchema1764200000001 } from './1764200000001-identity';
import { IntegrationRuntimesSchema1764200000002 } from './1764200000002-integration-runtimes';
import { ScanningSchema1764200000003 } from './1764200000003-scanning';
import { DataMapSchema1764200000004 } from './1764200000004-datamap';
import { RuntimeFidelitySchema1764300000001 } from './1764300000001-runtime-fidelity';
import { ScanRunJobsSchema1764300000002 } from './1764300000002-scan-run-jobs';
import { RelaySchema1764300000003 } from './1764300000003-relay';
import { InteractiveAuthoringSchema1764300000004 } from './1764300000004-interactive-authoring';
import { ScanRunJobNotBeforeSchema1764300000005 } from './1764300000005-scan-run-job-not-before';
import { DataMapTypeDefs1764400000001 } from './1764400000001-datamap-typedefs';
import { DataMapRelationships1764400000003 } from './1764400000003-datamap-relationships';
import { DataMapBusinessAttributes1764400000004 } from './1764400000004-datamap-business-attributes';
import { DataMapSearchIndex1764500000021 } from './1764500000021-datamap-search-index';
import { Glossary1764500000011 } from './1764500000011-glossary';
import { ScanRulesetsSchema1764500000031 } from './1764500000031-scan-rulesets';
import { KeyVaultAndScanCredentials1764500000041 } from './1764500000041-key-vault-and-scan-credentials';
import { ScanTriggersSchema1764500000051 } from './1764500000051-scan-triggers';
import { EmulatorFaults1764500000061 } from './1764500000061-emulator-faults';
import { ManagedNetworksSchema1764600000011 } from './1764600000011-managed-networks';
import { ScanAssetSightings1764600000031 } from './1764600000031-scan-asset-sightings';
import { SearchBusinessMetadata1764600000051 } from './1764600000051-search-business-metadata';
import { SearchCounts1764600000052 } from './1764600000052-search-counts';
import { ScanBlobEtags1764700000021 } from './1764700000021-scan-blob-etags';
import { SearchInactiveEntities1764700000031 } from './1764700000031-search-inactive-entities';
import { SearchIndexPending1764800000011 } from './1764800000011-search-index-pending';

/** One migration per bounded context, applied in order at boot. Never edit a released migration: add one. */
export const MIGRATIONS = [
  IdentitySchema1764200000001,
  IntegrationRuntimesSchema1764200000002,
  ScanningSchema1764200000003,
  DataMapSchema1764200000004,
  RuntimeFidelitySchema1764300000001,
  ScanRunJobsSchema1764300000002,
  RelaySchema1764300000003,
  InteractiveAuthoringSchema1764300000004,
  ScanRunJobNotBeforeSchema1764300000005,
  DataMapTypeDefs1764400000001,
  DataMapRelationships1764400000003,
  DataMapBusinessAttributes1764400000004,
  Glossary1764500000011,
  DataMapSearchIndex1764500000021,
  ScanRulesetsSchema1764500000031,
  KeyVaultAndScanCredentials1764500000041,
  ScanTriggersSchema1764500000051,
  EmulatorFaults1764500000061,
  ManagedNetworksSchema1764600000011,
  ScanAssetSightings1764600000031,
  SearchBusinessMetadata1764600000051,
  SearchCounts1764600000052,
  ScanBlobEtags1764700000021,
  SearchInactiveEntities1764700000031,
  SearchIndexPending1764800000011,
];
