import { MigrationInterface, QueryRunner } from 'typeorm';

export class DataMapSchema1764200000004 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    void queryRunner;
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    void queryRunner;
  }
}
