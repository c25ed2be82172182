import { Controller, Get, Param } from '@nestjs/common';
import { AccountService } from './account.service';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';
import type { ServiceEndpoint } from './service-urls';

/** The account data plane (`{endpoint}/account`), with a Purview token. */
@Controller('account')
export class AccountDataPlaneController {
  constructor(private readonly account: AccountService) {}

  @Get()
  get(): Record<string, unknown> {
    return this.account.dataPlaneAccount();
  }
}

/**
 * The portal's "View Service URLs" of a self-hosted integration runtime. Purview has no public API for it, so it
 * is an emulator extension; the same hosts are in `/status` typeProperties.serviceUrls. Admin-only unless a route
 * says otherwise, like the other /_emulator/integrationruntimes extensions.
 */
@Controller('_emulator/integrationruntimes')
@RequireRoles(ACCESS.manageIntegrationRuntimes)
export class ServiceUrlsController {
  constructor(private readonly account: AccountService) {}

  @Get(':name/serviceUrls')
  @RequireRoles(ACCESS.readIntegrationRuntimes)
  serviceUrls(
    @Param('name') name: string,
  ): Promise<{ integrationRuntime: string; serviceUrls: string[]; endpoints: ServiceEndpoint[] }> {
    return this.account.serviceUrls(name);
  }
}
