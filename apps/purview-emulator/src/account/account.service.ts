import { displayValue } from '@purview-emulator/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { accountResource, ArmScope } from './account-view';
import { armApiVersion, armInvalidSubscription, armResourceNotFound } from './arm-errors';
import { ServiceEndpoint, serviceEndpointsOf, serviceHostsOf } from './service-urls';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The emulator's one Purview account, as ARM and the account data plane show it. */
@Injectable()
export class AccountService {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly runtimes: IntegrationRuntimeDirectory,
  ) {}

  get(scope: ArmScope, accountName: string, apiVersion: unknown): Record<string, unknown> {
    const version = this.check(scope.subscriptionId, apiVersion);
    if (accountName.toLowerCase() !== this.config.accountName.toLowerCase())
      throw armResourceNotFound(scope.resourceGroup, accountName);
    return accountResource(this.config, scope, version);
  }

  /** Lists by subscription or resource group: the one account, under whatever scope was asked for. */
  list(
    subscriptionId: string,
    resourceGroup: string | undefined,
    apiVersion: unknown,
  ): { value: Record<string, unknown>[] } {
    const version = this.check(subscriptionId, apiVersion);
    return {
      value: [
        accountResource(
          this.config,
          { subscriptionId, resourceGroup: resourceGroup ?? this.config.account.resourceGroup },
          version,
        ),
      ],
    };
  }

  /**
   * The account's Atlas Kafka connection strings. The emulator runs no Event Hubs, so both are null rather than
   * a connection string that leads nowhere.
   */
  listKeys(
    scope: ArmScope,
    accountName: string,
    apiVersion: unknown,
  ): { atlasKafkaPrimaryEndpoint: string | null; atlasKafkaSecondaryEndpoint: string | null } {
    this.get(scope, accountName, apiVersion);
    return { atlasKafkaPrimaryEndpoint: null, atlasKafkaSecondaryEndpoint: null };
  }

  checkNameAvailability(
    subscriptionId: string,
    apiVersion: unknown,
    body: unknown,
  ): { nameAvailable: boolean; reason?: string; message?: string } {
    this.check(subscriptionId, apiVersion);
    const name = displayValue((body as { name?: unknown } | undefined)?.name ?? '');
    if (!/^[a-zA-Z0-9][a-zA-Z0-9-]{1,61}[a-zA-Z0-9]$/.test(name)) {
      return {
        nameAvailable: false,
        reason: 'Invalid',
        message: `The account name '${name}' is invalid: 3-63 letters, digits and hyphens, starting and ending with a letter or digit.`,
      };
    }
    if (name.toLowerCase() === this.config.accountName.toLowerCase()) {
      return { nameAvailable: false, reason: 'AlreadyExists', message: `An account named '${name}' already exists.` };
    }
    return { nameAvailable: true };
  }

  /** The account data plane's `GET /account`: the same resource, under the configured subscription and group. */
  dataPlaneAccount(): Record<string, unknown> {
    return accountResource(
      this.config,
      { subscriptionId: this.config.account.subscriptionId, resourceGroup: this.config.account.resourceGroup },
      '2021-07-01',
    );
  }

  /** "View Service URLs" of an integration runtime: the addresses its nodes must reach. */
  async serviceUrls(
    integrationRuntime: string,
  ): Promise<{ integrationRuntime: string; serviceUrls: string[]; endpoints: ServiceEndpoint[] }> {
    await this.runtimes.requireRuntime(integrationRuntime);
    return { integrationRuntime, serviceUrls: serviceHostsOf(this.config), endpoints: serviceEndpointsOf(this.config) };
  }

  private check(subscriptionId: string, apiVersion: unknown) {
    const version = armApiVersion(apiVersion, this.config.account.location);
    if (!GUID.test(subscriptionId)) throw armInvalidSubscription(subscriptionId);
    return version;
  }
}
