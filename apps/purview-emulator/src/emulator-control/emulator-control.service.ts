import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { caCertificatePath } from '../tls/tls-material';
import {
  WELL_KNOWN_CLIENT_ID,
  WELL_KNOWN_CLIENT_SECRET,
  WELL_KNOWN_TENANT_ID,
  PURVIEW_SCOPE,
  type ComponentHealth,
  type EmulatorInfo,
  type HealthReport,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { IngestionService } from '../ingestion/ingestion.service';
import { EmulatorSettingsRepository } from './emulator-settings.repository';

export type { ComponentHealth, HealthReport } from '@purview-emulator/contracts';

// Read at load time from the package beside src/ and dist/ alike (both sit two levels below it).
const VERSION = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string })
  .version;

/** Emulator-only operations under `/_emulator`: readiness and the facts a client needs to connect. */
@Injectable()
export class EmulatorControlService {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly settings: EmulatorSettingsRepository,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly ingestion: IngestionService,
  ) {}

  async health(): Promise<HealthReport> {
    const database = await this.databaseHealth();
    const ingestion = this.ingestion.health();
    const runtimes =
      database.state === 'Ready'
        ? { state: 'Ready' as const, ...(await this.runtimes.connectivity()) }
        : { state: 'Unavailable' as const };
    const states = [database.state, ingestion.state];
    const status = states.every((s) => s === 'Ready')
      ? 'Healthy'
      : states.includes('Unavailable')
        ? 'Unhealthy'
        : 'Starting';
    return {
      status,
      account: this.config.accountName,
      version: VERSION,
      components: { database, ingestionStorage: { ...ingestion }, runtimes },
    };
  }

  info(): Omit<EmulatorInfo, 'rows'> {
    const base = this.config.publicUrl;
    return {
      account: this.config.accountName,
      version: VERSION,
      endpoint: base,
      httpsEndpoint: this.config.publicHttpsUrl,
      caCertificate: caCertificatePath(this.config.dataDir),
      inMemory: this.config.inMemory,
      scanEndpoint: `${base}/scan`,
      dataMapEndpoint: `${base}/datamap/api`,
      tokenEndpoint: `${base}/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token`,
      wellKnownCredentials: {
        tenantId: WELL_KNOWN_TENANT_ID,
        clientId: WELL_KNOWN_CLIENT_ID,
        ...this.wellKnownSecret(),
        scope: PURVIEW_SCOPE,
      },
      runtime: {
        heartbeatIntervalSeconds: this.config.heartbeatIntervalSeconds,
        nodeOfflineAfterSeconds: this.config.nodeOfflineAfterSeconds,
        jobLeaseSeconds: this.config.jobLeaseSeconds,
      },
      storage: {
        blobEndpoint: this.config.storage.blobEndpoint,
        queueEndpoint: this.config.storage.queueEndpoint,
        accounts: this.config.storage.accounts.map((a) => a.name),
        ingestionAccount: this.config.storage.ingestionAccount,
      },
    };
  }

  /**
   * The route is unauthenticated: it shows the well-known secret only while the well-known client really has it,
   * never a secret the configuration set (PURVIEW_EMULATOR_CLIENTS[_FILE] may redefine that client).
   */
  private wellKnownSecret(): { clientSecret?: string } {
    const client = this.config.clients.find((c) => c.clientId.toLowerCase() === WELL_KNOWN_CLIENT_ID);
    return client?.clientSecret === WELL_KNOWN_CLIENT_SECRET ? { clientSecret: WELL_KNOWN_CLIENT_SECRET } : {};
  }

  private async databaseHealth(): Promise<ComponentHealth> {
    try {
      await this.settings.ping();
      return { state: 'Ready' };
    } catch (error) {
      return { state: 'Unavailable', detail: (error as Error).message };
    }
  }
}
