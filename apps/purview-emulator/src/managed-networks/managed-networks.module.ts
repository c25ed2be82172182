import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ManagedPrivateEndpointEntity, ManagedVirtualNetworkEntity } from './managed-network.entities';
import { ManagedNetworksController } from './managed-networks.controller';
import { ManagedNetworksRepository } from './managed-networks.repository';
import { ManagedNetworksService } from './managed-networks.service';

/**
 * Managed virtual networks and managed private endpoints (`/scan/managedvirtualnetworks`): stored and returned in
 * shape; there is no network to manage on loopback (README "Managed virtual networks").
 */
@Module({
  imports: [TypeOrmModule.forFeature([ManagedVirtualNetworkEntity, ManagedPrivateEndpointEntity])],
  controllers: [ManagedNetworksController],
  providers: [ManagedNetworksRepository, ManagedNetworksService],
})
export class ManagedNetworksModule {}
