import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EmulatorSettingEntity } from './emulator-setting.entity';

/** All SQL of the emulator control module: its settings, and the database ping of the health check. */
@Injectable()
export class EmulatorSettingsRepository {
  constructor(@InjectRepository(EmulatorSettingEntity) private readonly settings: Repository<EmulatorSettingEntity>) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.settings.findOneBy({ key }))?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.settings.upsert({ key, value }, ['key']);
  }

  /** Throws when the database cannot answer. */
  async ping(): Promise<void> {
    await this.settings.query('SELECT 1');
  }
}
