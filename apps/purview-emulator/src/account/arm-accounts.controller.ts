import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AccountService } from './account.service';
import { ArmRoute } from '../identity/authentication.decorators';

/** `Microsoft.Purview/accounts` on Azure Resource Manager: the emulator's one account, at any subscription and resource group. */
@Controller('subscriptions/:subscriptionId')
@ArmRoute()
export class ArmAccountsController {
  constructor(private readonly account: AccountService) {}

  @Get('providers/Microsoft.Purview/accounts')
  listBySubscription(
    @Param('subscriptionId') subscriptionId: string,
    @Query('api-version') apiVersion: unknown,
  ): { value: Record<string, unknown>[] } {
    return this.account.list(subscriptionId, undefined, apiVersion);
  }

  @Post('providers/Microsoft.Purview/checkNameAvailability')
  @HttpCode(200)
  checkNameAvailability(
    @Param('subscriptionId') subscriptionId: string,
    @Query('api-version') apiVersion: unknown,
    @Body() body: unknown,
  ): { nameAvailable: boolean; reason?: string; message?: string } {
    return this.account.checkNameAvailability(subscriptionId, apiVersion, body);
  }

  @Get('resourceGroups/:resourceGroup/providers/Microsoft.Purview/accounts')
  listByResourceGroup(
    @Param('subscriptionId') subscriptionId: string,
    @Param('resourceGroup') resourceGroup: string,
    @Query('api-version') apiVersion: unknown,
  ): { value: Record<string, unknown>[] } {
    return this.account.list(subscriptionId, resourceGroup, apiVersion);
  }

  @Get('resourceGroups/:resourceGroup/providers/Microsoft.Purview/accounts/:accountName')
  get(
    @Param('subscriptionId') subscriptionId: string,
    @Param('resourceGroup') resourceGroup: string,
    @Param('accountName') accountName: string,
    @Query('api-version') apiVersion: unknown,
  ): Record<string, unknown> {
    return this.account.get({ subscriptionId, resourceGroup }, accountName, apiVersion);
  }

  @Post('resourceGroups/:resourceGroup/providers/Microsoft.Purview/accounts/:accountName/listkeys')
  @HttpCode(200)
  listKeys(
    @Param('subscriptionId') subscriptionId: string,
    @Param('resourceGroup') resourceGroup: string,
    @Param('accountName') accountName: string,
    @Query('api-version') apiVersion: unknown,
  ): ReturnType<AccountService['listKeys']> {
    return this.account.listKeys({ subscriptionId, resourceGroup }, accountName, apiVersion);
  }
}
