import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScanningSchema1764200000003 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    void queryRunner;
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    void queryRunner;
  }
}
