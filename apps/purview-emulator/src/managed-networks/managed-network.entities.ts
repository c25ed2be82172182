import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A managed virtual network (`managedvirtualnetworks/{name}`, name `default` or `defaultv2`): a record, no network. */
@Entity('scan_managed_virtual_networks')
export class ManagedVirtualNetworkEntity {
  @PrimaryColumn({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @Column({ name: 'vnet_id', type: 'varchar' }) vNetId!: string;
  @Column({ type: 'varchar' }) alias!: string;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}

/** A managed private endpoint of a managed virtual network: what it would reach (resource and sub-resource). */
@Entity('scan_managed_private_endpoints')
export class ManagedPrivateEndpointEntity {
  @PrimaryColumn({ name: 'network_name', type: 'varchar', collation: 'NOCASE' }) networkName!: string;
  @PrimaryColumn({ type: 'varchar', collation: 'NOCASE' }) name!: string;
  @Column({ name: 'private_link_resource_id', type: 'varchar' }) privateLinkResourceId!: string;
  @Column({ name: 'group_id', type: 'varchar' }) groupId!: string;
  @Column({ type: 'simple-json' }) fqdns!: string[];
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}
